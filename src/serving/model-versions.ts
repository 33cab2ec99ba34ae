// modelVersion of a cached list: the newest model_versions row of the recipe that produced it.
// Looked up once per recipe and batch (the tracker clears it when the batch changes).
import type { Pool } from 'pg';

export class ModelVersionLookup {
  private readonly byRecipe = new Map<string, Promise<string | null>>();

  constructor(private readonly pool: Pool) {}

  clear(): void {
    this.byRecipe.clear();
  }

  forRecipe(recipe: string | null): Promise<string | null> {
    if (!recipe) return Promise.resolve(null);
    let found = this.byRecipe.get(recipe);
    if (!found) {
      found = this.load(recipe);
      // A failed lookup must be retried next time, not remembered.
      found.catch(() => this.byRecipe.delete(recipe));
      this.byRecipe.set(recipe, found);
    }
    return found;
  }

  private async load(recipe: string): Promise<string | null> {
    // Cache rows may name the AWS recipe ('aws-user-personalization') or the engine's ('user-personalization').
    const bare = recipe.replace(/^aws-/, '');
    const { rows } = await this.pool.query<{ id: number }>(
      `SELECT id FROM model_versions WHERE recipe = ANY($1::text[]) ORDER BY created_at DESC, id DESC LIMIT 1`,
      [[recipe, bare, `aws-${bare}`]],
    );
    return rows[0] ? String(rows[0].id) : null;
  }
}
