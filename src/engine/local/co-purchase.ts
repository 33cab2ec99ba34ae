// How many customers had both of two products: the count behind a similar item's reason ("often
// bought with X", N customers). Counted on the training matrix the cosine neighbours come from
// (every positive cell, whatever its event type; on a purchases-only store: bought both). The
// asked product's customers are marked once, then each neighbour's customers are counted.
import type { Dataset } from './dataset';
import { transpose, type ItemUsers } from './item-model';

export class CoPurchaseCounter {
  private readonly byItem: ItemUsers;
  private readonly mark: Int32Array;
  private generation = 0;
  private marked = -1;

  constructor(data: Dataset) {
    this.byItem = transpose(data);
    this.mark = new Int32Array(data.userIds.length);
  }

  /** Customers with both i and j. */
  count(i: number, j: number): number {
    const { ptr, users } = this.byItem;
    if (i !== this.marked) {
      this.generation += 1;
      for (let p = ptr[i]!; p < ptr[i + 1]!; p++) this.mark[users[p]!] = this.generation;
      this.marked = i;
    }
    let n = 0;
    for (let p = ptr[j]!; p < ptr[j + 1]!; p++) if (this.mark[users[p]!] === this.generation) n += 1;
    return n;
  }
}
