// The fixed vocabulary of the synthetic store: categories with a typical price and product nouns,
// and cities with their provinces weighted by population (Pakistan, like the reference store's
// `Lahore,Punjab`).

export interface CategorySpec {
  name: string;
  /** Median price of the category's products. */
  medianPrice: number;
  nouns: readonly string[];
}

export const CATEGORIES: readonly [CategorySpec, ...CategorySpec[]] = [
  {
    name: 'Electronics',
    medianPrice: 180,
    nouns: ['Bluetooth Speaker', 'Smart Watch', 'Power Bank', 'Wireless Earbuds', 'Webcam'],
  },
  {
    name: 'Mobile Accessories',
    medianPrice: 18,
    nouns: ['Phone Case', 'Screen Protector', 'Charging Cable', 'Car Mount', 'Wall Charger'],
  },
  {
    name: 'Computers',
    medianPrice: 420,
    nouns: ['Laptop Stand', 'Mechanical Keyboard', 'Gaming Mouse', 'USB Hub', 'Monitor'],
  },
  {
    name: 'Home Appliances',
    medianPrice: 95,
    nouns: ['Electric Kettle', 'Blender', 'Steam Iron', 'Air Fryer', 'Room Heater'],
  },
  {
    name: 'Kitchenware',
    medianPrice: 24,
    nouns: ['Non-Stick Pan', 'Knife Set', 'Spice Rack', 'Cutting Board', 'Pressure Cooker'],
  },
  {
    name: 'Home Decor',
    medianPrice: 30,
    nouns: ['Wall Clock', 'Cushion Cover', 'Table Lamp', 'Photo Frame', 'Scented Candle'],
  },
  { name: 'Bedding', medianPrice: 45, nouns: ['Bed Sheet Set', 'Duvet', 'Pillow', 'Blanket', 'Mattress Topper'] },
  { name: "Men's Clothing", medianPrice: 35, nouns: ['Kurta', 'Polo Shirt', 'Denim Jeans', 'Waistcoat', 'Hoodie'] },
  {
    name: "Women's Clothing",
    medianPrice: 40,
    nouns: ['Lawn Suit', 'Embroidered Kurti', 'Dupatta', 'Shalwar Set', 'Cardigan'],
  },
  {
    name: "Kids' Clothing",
    medianPrice: 20,
    nouns: ['Romper', 'School Uniform', 'T-Shirt Pack', 'Pajama Set', 'Party Dress'],
  },
  {
    name: 'Footwear',
    medianPrice: 48,
    nouns: ['Running Shoes', 'Sandals', 'Peshawari Chappal', 'Loafers', 'Slippers'],
  },
  { name: 'Bags & Luggage', medianPrice: 55, nouns: ['Backpack', 'Trolley Bag', 'Handbag', 'Laptop Bag', 'Wallet'] },
  { name: 'Jewellery', medianPrice: 38, nouns: ['Bangles Set', 'Earrings', 'Necklace', 'Ring', 'Anklet'] },
  {
    name: 'Watches',
    medianPrice: 75,
    nouns: ['Analog Watch', 'Chronograph', 'Digital Watch', 'Leather Strap Watch', 'Steel Watch'],
  },
  { name: 'Beauty', medianPrice: 14, nouns: ['Lipstick', 'Face Serum', 'Kajal', 'Foundation', 'Nail Polish'] },
  {
    name: 'Personal Care',
    medianPrice: 11,
    nouns: ['Shampoo', 'Trimmer', 'Body Lotion', 'Toothbrush Pack', 'Face Wash'],
  },
  { name: 'Fragrances', medianPrice: 42, nouns: ['Attar', 'Eau de Parfum', 'Body Mist', 'Deodorant', 'Oud Oil'] },
  {
    name: 'Health',
    medianPrice: 16,
    nouns: ['Multivitamin', 'Thermometer', 'BP Monitor', 'First Aid Kit', 'Protein Powder'],
  },
  { name: 'Groceries', medianPrice: 6, nouns: ['Basmati Rice', 'Green Tea', 'Cooking Oil', 'Dates Box', 'Spice Mix'] },
  {
    name: 'Baby Care',
    medianPrice: 15,
    nouns: ['Diapers Pack', 'Baby Wipes', 'Feeding Bottle', 'Baby Lotion', 'Teether'],
  },
  { name: 'Toys', medianPrice: 22, nouns: ['Building Blocks', 'Remote Car', 'Doll House', 'Puzzle', 'Board Game'] },
  { name: 'Books', medianPrice: 9, nouns: ['Novel', 'Cookbook', 'Urdu Poetry', 'Children Storybook', 'Exam Guide'] },
  { name: 'Stationery', medianPrice: 5, nouns: ['Notebook Pack', 'Gel Pens', 'Geometry Box', 'Sketchbook', 'Planner'] },
  {
    name: 'Sports & Fitness',
    medianPrice: 32,
    nouns: ['Cricket Bat', 'Yoga Mat', 'Dumbbells', 'Football', 'Skipping Rope'],
  },
  {
    name: 'Outdoor & Garden',
    medianPrice: 27,
    nouns: ['Garden Hose', 'Plant Pot', 'Seeds Pack', 'Lawn Chair', 'Pruning Shears'],
  },
  {
    name: 'Tools & Hardware',
    medianPrice: 36,
    nouns: ['Drill Machine', 'Screwdriver Set', 'Measuring Tape', 'Tool Box', 'Wrench Set'],
  },
  {
    name: 'Automotive',
    medianPrice: 29,
    nouns: ['Car Vacuum', 'Seat Cover', 'Dash Cam', 'Tyre Inflator', 'Car Perfume'],
  },
  { name: 'Pet Supplies', medianPrice: 17, nouns: ['Cat Food', 'Dog Leash', 'Pet Bed', 'Bird Feeder', 'Litter Box'] },
  {
    name: 'Gaming',
    medianPrice: 60,
    nouns: ['Game Controller', 'Gaming Headset', 'Gift Card', 'Console Stand', 'Mouse Pad'],
  },
  {
    name: 'Eyewear',
    medianPrice: 26,
    nouns: ['Sunglasses', 'Reading Glasses', 'Blue Light Glasses', 'Lens Cleaner', 'Glasses Case'],
  },
];

export const ADJECTIVES: readonly string[] = [
  'Classic',
  'Premium',
  'Deluxe',
  'Compact',
  'Everyday',
  'Pro',
  'Eco',
  'Royal',
  'Urban',
  'Vintage',
  'Signature',
  'Essential',
  'Ultra',
  'Soft',
  'Smart',
  'Handmade',
  'Travel',
  'Family',
  'Mini',
  'Luxe',
];

export interface CitySpec {
  city: string;
  province: string;
  /** Relative weight (population in millions, roughly). */
  weight: number;
}

export const CITIES: readonly [CitySpec, ...CitySpec[]] = [
  { city: 'Karachi', province: 'Sindh', weight: 20.4 },
  { city: 'Lahore', province: 'Punjab', weight: 13.0 },
  { city: 'Faisalabad', province: 'Punjab', weight: 3.7 },
  { city: 'Rawalpindi', province: 'Punjab', weight: 3.4 },
  { city: 'Gujranwala', province: 'Punjab', weight: 2.4 },
  { city: 'Peshawar', province: 'Khyber Pakhtunkhwa', weight: 2.3 },
  { city: 'Multan', province: 'Punjab', weight: 2.2 },
  { city: 'Hyderabad', province: 'Sindh', weight: 1.9 },
  { city: 'Islamabad', province: 'Islamabad Capital Territory', weight: 1.6 },
  { city: 'Quetta', province: 'Balochistan', weight: 1.6 },
  { city: 'Bahawalpur', province: 'Punjab', weight: 0.9 },
  { city: 'Sargodha', province: 'Punjab', weight: 0.9 },
  { city: 'Sialkot', province: 'Punjab', weight: 0.9 },
  { city: 'Sukkur', province: 'Sindh', weight: 0.6 },
  { city: 'Larkana', province: 'Sindh', weight: 0.6 },
  { city: 'Sheikhupura', province: 'Punjab', weight: 0.6 },
  { city: 'Rahim Yar Khan', province: 'Punjab', weight: 0.5 },
  { city: 'Jhang', province: 'Punjab', weight: 0.5 },
  { city: 'Dera Ghazi Khan', province: 'Punjab', weight: 0.4 },
  { city: 'Gujrat', province: 'Punjab', weight: 0.4 },
  { city: 'Sahiwal', province: 'Punjab', weight: 0.4 },
  { city: 'Mardan', province: 'Khyber Pakhtunkhwa', weight: 0.4 },
  { city: 'Kasur', province: 'Punjab', weight: 0.4 },
  { city: 'Okara', province: 'Punjab', weight: 0.4 },
  { city: 'Mingora', province: 'Khyber Pakhtunkhwa', weight: 0.3 },
  { city: 'Nawabshah', province: 'Sindh', weight: 0.3 },
  { city: 'Abbottabad', province: 'Khyber Pakhtunkhwa', weight: 0.3 },
  { city: 'Mirpur Khas', province: 'Sindh', weight: 0.2 },
  { city: 'Muzaffarabad', province: 'Azad Kashmir', weight: 0.2 },
  { city: 'Gilgit', province: 'Gilgit-Baltistan', weight: 0.1 },
  { city: 'Gwadar', province: 'Balochistan', weight: 0.1 },
  { city: 'Turbat', province: 'Balochistan', weight: 0.2 },
];
