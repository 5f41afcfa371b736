/// Duplicate-key detection for a map whose keys are sorted neither bytewise nor length-first (the validator proves
/// distinctness of sorted maps by comparing neighbours as it goes, at no extra cost).
///
/// The work is linear in the keys' bytes plus `k log k` for `k` keys, never `k²`: up to `pairwiseLimit` keys are
/// compared pairwise (a bounded constant factor), beyond that each key is hashed once with a per-process seeded
/// `Hasher`, the (hash, offset) records are sorted, and only neighbours with equal hashes are compared byte for byte
/// (so a collision costs a comparison, never a false result).
extension CBORValidator {
    /// Maps with at most this many keys are checked pairwise.
    static let pairwiseLimit = 8

    struct KeyRecord {
        var hash: Int
        var start: Int
        var end: Int
    }

    /// Bytes compared and keys hashed by one check (unit tests assert the work is linear).
    struct DistinctKeysWork {
        var bytesCompared = 0
        var bytesHashed = 0
    }

    /// Throws `.duplicateMapKey` at the first key (in encoded order) that repeats an earlier key of the
    /// validated map whose first key starts at `firstKey` and which has `pairs` entries.
    static func checkDistinctKeys(
        _ base: UnsafeRawPointer, count: Int, firstKey: Int, pairs: Int, work: inout DistinctKeysWork
    ) throws(CBORError) {
        let reader = CBORReader(UnsafeRawBufferPointer(start: base, count: count))
        let found: Int? = withUnsafeTemporaryAllocation(of: KeyRecord.self, capacity: max(1, pairs)) { records in
            var p = firstKey
            for i in 0..<pairs {
                let end = reader.uncheckedEnd(at: p)
                records[i] = KeyRecord(hash: 0, start: p, end: end)
                p = reader.uncheckedEnd(at: end)  // skip the value
            }
            let keys = UnsafeMutableBufferPointer(rebasing: records[0..<pairs])
            return pairs <= pairwiseLimit
                ? firstRepeatPairwise(base, keys, &work) : firstRepeatHashed(base, keys, &work)
        }
        if let found { throw CBORError(.duplicateMapKey, at: found) }
    }

    /// Start of the first key that repeats an earlier one, comparing every pair (few keys only).
    static func firstRepeatPairwise(
        _ base: UnsafeRawPointer, _ keys: UnsafeMutableBufferPointer<KeyRecord>, _ work: inout DistinctKeysWork
    ) -> Int? {
        for j in 1..<max(1, keys.count) {
            for i in 0..<j where sameKey(base, keys[i], keys[j], &work) { return keys[j].start }
        }
        return nil
    }

    /// The same answer through hashing and sorting: O(key bytes + k log k).
    static func firstRepeatHashed(
        _ base: UnsafeRawPointer, _ records: UnsafeMutableBufferPointer<KeyRecord>, _ work: inout DistinctKeysWork
    ) -> Int? {
        var keys = records
        for i in keys.indices {
            var hasher = Hasher()
            hasher.combine(bytes: UnsafeRawBufferPointer(start: base + keys[i].start, count: keys[i].end - keys[i].start))
            keys[i].hash = hasher.finalize()
            work.bytesHashed += keys[i].end - keys[i].start
        }
        // Equal keys end up next to each other, in encoded order within their hash.
        keys.sort { $0.hash != $1.hash ? $0.hash < $1.hash : $0.start < $1.start }
        var earliest: Int? = nil
        var i = 0
        while i < keys.count {
            var j = i + 1
            while j < keys.count, keys[j].hash == keys[i].hash { j += 1 }
            // keys[i..<j] share a hash (almost always one key, or one key repeated): find the earliest
            // second occurrence among them. A run longer than two is a repeat or a genuine collision.
            if j - i > 1 {
                for b in (i + 1)..<j {
                    if let e = earliest, keys[b].start >= e { break }
                    var a = i
                    while a < b, !sameKey(base, keys[a], keys[b], &work) { a += 1 }
                    if a < b {
                        earliest = keys[b].start
                        break
                    }
                }
            }
            i = j
        }
        return earliest
    }

    @inline(__always)
    static func sameKey(_ base: UnsafeRawPointer, _ a: KeyRecord, _ b: KeyRecord, _ work: inout DistinctKeysWork) -> Bool {
        let length = a.end - a.start
        guard length == b.end - b.start else { return false }
        work.bytesCompared += length
        return compareBytes(base, a.start, b.start, length) == 0
    }
}
