/** A need as it appears in an instance file: how many units it asks for. */
export interface MatchingNeed {
  readonly id: string;
  readonly demand: number;
}

/** A resource as it appears in an instance file: how many units it can give. */
export interface MatchingResource {
  readonly id: string;
  readonly capacity: number;
}

/** A candidate pair and the value of one unit given along it (> 0). */
export interface MatchingEdge {
  readonly need: string;
  readonly resource: string;
  readonly weight: number;
}

/** The solver's input, and the JSON format `hub solve` reads. */
export interface MatchingInstance {
  readonly needs: readonly MatchingNeed[];
  readonly resources: readonly MatchingResource[];
  readonly edges: readonly MatchingEdge[];
}

export interface MatchingAssignment {
  readonly need: string;
  readonly resource: string;
  readonly units: number;
}

/** Assignments with units > 0 only, sorted by need id then resource id. */
export interface MatchingSolution {
  readonly assignments: MatchingAssignment[];
  readonly objective: number;
}

/**
 * The same problem on dense indices, as the solvers use it: needs 0..needCount-1,
 * resources 0..resourceCount-1, edge e joins edgeNeed[e] and edgeResource[e].
 * City-scale instances are built in this form directly, since millions of edge
 * objects would cost more memory than the solver itself.
 */
export interface IndexedInstance {
  readonly needCount: number;
  readonly resourceCount: number;
  readonly demand: Int32Array;
  readonly capacity: Int32Array;
  readonly edgeNeed: Int32Array;
  readonly edgeResource: Int32Array;
  readonly edgeWeight: Float64Array;
}

/** Units chosen on each edge of an IndexedInstance, and Σ weight × units. */
export interface IndexedSolution {
  readonly units: Int32Array;
  readonly objective: number;
}
