/// What to run.
struct LoadPlan: Sendable {
    let connections: Int
    let depth: Int
    let batch: Int
    let durationNanoseconds: UInt64

    var workers: Int { connections * depth }
}
