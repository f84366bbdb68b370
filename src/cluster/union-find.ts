// Union-find over dense integer ids, plus an interner that gives every address key an id.
// Clustering a large history feeds millions of inputs through here, so the forest lives in
// typed arrays (no object per element) and grows by doubling.

/** Disjoint sets over ids 0..size-1: union by size, path halving. */
export class UnionFind {
  private parent: Int32Array;
  private setSize: Int32Array;
  private count = 0;

  constructor(initialCapacity = 16) {
    if (!Number.isSafeInteger(initialCapacity) || initialCapacity < 1) {
      throw new RangeError(`initialCapacity ${initialCapacity} is not a positive integer`);
    }
    this.parent = new Int32Array(initialCapacity);
    this.setSize = new Int32Array(initialCapacity);
  }

  /** Number of elements (not sets). */
  get size(): number {
    return this.count;
  }

  /** Adds a singleton and returns its id (ids are consecutive from 0). */
  add(): number {
    const id = this.count;
    if (id === this.parent.length) this.grow();
    this.parent[id] = id;
    this.setSize[id] = 1;
    this.count = id + 1;
    return id;
  }

  /** Representative of x's set. Halves the path on the way up. */
  find(x: number): number {
    this.check(x);
    const parent = this.parent;
    let p = parent[x]!;
    while (p !== x) {
      const gp = parent[p]!;
      parent[x] = gp;
      x = gp;
      p = parent[x]!;
    }
    return x;
  }

  /** Joins the sets of a and b; true when they were apart. */
  union(a: number, b: number): boolean {
    let ra = this.find(a);
    let rb = this.find(b);
    if (ra === rb) return false;
    const size = this.setSize;
    if (size[ra]! < size[rb]!) {
      const t = ra;
      ra = rb;
      rb = t;
    }
    this.parent[rb] = ra;
    size[ra]! += size[rb]!;
    return true;
  }

  connected(a: number, b: number): boolean {
    return this.find(a) === this.find(b);
  }

  /** Number of elements in x's set. */
  sizeOf(x: number): number {
    return this.setSize[this.find(x)]!;
  }

  private check(x: number): void {
    if (!(x >= 0 && x < this.count && Number.isInteger(x))) {
      throw new RangeError(`id ${x} is not an element (size ${this.count})`);
    }
  }

  private grow(): void {
    const cap = this.parent.length * 2;
    const parent = new Int32Array(cap);
    parent.set(this.parent);
    const setSize = new Int32Array(cap);
    setSize.set(this.setSize);
    this.parent = parent;
    this.setSize = setSize;
  }
}

/** Gives each distinct string key a dense id, in first-seen order. */
export class Interner {
  private readonly ids = new Map<string, number>();
  private readonly keys: string[] = [];

  get size(): number {
    return this.keys.length;
  }

  /** The key's id, assigning the next one if the key is new. */
  intern(key: string): number {
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.keys.length;
      this.ids.set(key, id);
      this.keys.push(key);
    }
    return id;
  }

  /** The key's id, or undefined when it was never interned. */
  lookup(key: string): number | undefined {
    return this.ids.get(key);
  }

  /** All keys, indexed by id (read-only view for hot loops). */
  get allKeys(): readonly string[] {
    return this.keys;
  }

  keyOf(id: number): string {
    const key = this.keys[id];
    if (key === undefined) throw new RangeError(`id ${id} was never interned (size ${this.keys.length})`);
    return key;
  }
}

/** A union-find keyed by strings (addresses): interning and set ids kept in step. */
export class KeyedUnionFind {
  readonly interner = new Interner();
  readonly sets: UnionFind;

  constructor(initialCapacity = 16) {
    this.sets = new UnionFind(initialCapacity);
  }

  get size(): number {
    return this.interner.size;
  }

  /** Id of key, adding it as a singleton when new. One map lookup: the hot path interns each input once. */
  add(key: string): number {
    const id = this.interner.intern(key);
    if (id === this.sets.size) this.sets.add();
    return id;
  }

  /** Joins the sets of two ids returned by add(). */
  unionIds(a: number, b: number): boolean {
    return this.sets.union(a, b);
  }

  has(key: string): boolean {
    return this.interner.lookup(key) !== undefined;
  }

  union(a: string, b: string): boolean {
    return this.sets.union(this.add(a), this.add(b));
  }

  connected(a: string, b: string): boolean {
    const ia = this.interner.lookup(a);
    const ib = this.interner.lookup(b);
    return ia !== undefined && ib !== undefined && this.sets.connected(ia, ib);
  }

  /**
   * Every set as a list of ids sorted by key, the sets ordered by their smallest key. Keys
   * compare by UTF-16 code units (plain `<`), never by locale, so the order is the same everywhere.
   */
  groupIds(): number[][] {
    const keys = this.interner.allKeys;
    const n = keys.length;
    // One sort of all ids by key; filling groups in that order leaves every group sorted and
    // the groups ordered by their smallest key.
    const order = Array.from({ length: n }, (_, id) => id);
    order.sort((a, b) => {
      const x = keys[a]!;
      const y = keys[b]!;
      return x < y ? -1 : x > y ? 1 : 0;
    });
    const slot = new Int32Array(n).fill(-1); // root id -> index in out
    const out: number[][] = [];
    for (const id of order) {
      const root = this.sets.find(id);
      let g = slot[root]!;
      if (g === -1) {
        g = out.length;
        slot[root] = g;
        out.push([]);
      }
      out[g]!.push(id);
    }
    return out;
  }

  /** Every set as a sorted list of keys, in the order of groupIds(). */
  groups(): string[][] {
    return this.groupIds().map((g) => g.map((id) => this.interner.keyOf(id)));
  }
}

/** Locale-independent string order used for every sorted list in src/cluster. */
export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
