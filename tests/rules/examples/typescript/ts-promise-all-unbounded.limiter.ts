// The module's own calls go through a rate limiter: they wait their turn.
const rateLimit = RateLimit(3);

class Importer {
  async fetchWithRetry<T>(call: () => Promise<T>) {
    await rateLimit();
    return call();
  }

  async children(blocks: Block[]) {
    // ok: ts-promise-all-unbounded
    await Promise.all(blocks.map(async (block) => (block.children = await this.fetchChildren(block.id))));
  }
}
