/// Duplicate member names, found in work linear in the names' bytes plus `m log m` for `m` members — never `m²`
/// comparisons, which an object of 256 long, escaped, equal-prefix names would turn into a CPU attack (the response
/// JSON is parsed before any check, so no valid challenge is needed to send one).
extension JSONReader {
    /// Objects with at most this many members are checked pairwise (a bounded constant factor: clientDataJSON and
    /// the response envelope have a handful).
    static let pairwiseNameLimit = 8

    struct NameRecord {
        var hash: Int
        var node: Int32
    }

    struct NameCheckWork {
        /// Decoded bytes compared between two names.
        var bytesCompared = 0
        /// Decoded bytes fed to the hash.
        var bytesHashed = 0
    }

    /// The node index of the first name (in document order) that repeats an earlier name of the object at
    /// `object`, or nil when its `count` names are distinct.
    mutating func firstRepeatedName(object: Int, count: Int) -> Int? {
        if count <= Self.pairwiseNameLimit {
            var names: (Int, Int, Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0, 0, 0)
            return withUnsafeMutableBytes(of: &names) { raw in
                let keys = raw.bindMemory(to: Int.self)
                var k = object + 1
                for i in 0..<count {
                    keys[i] = k
                    k = Int(nodes[k + 1].next)
                }
                for j in 1..<count {
                    for i in 0..<j where namesEqual(keys[i], keys[j]) { return keys[j] }
                }
                return nil
            }
        }
        nameScratch.removeAll(keepingCapacity: true)
        var k = object + 1
        for _ in 0..<count {
            nameScratch.append(NameRecord(hash: nameHash(k), node: Int32(k)))
            k = Int(nodes[k + 1].next)
        }
        // Names are appended in document order, so node indices order occurrences.
        nameScratch.sort { $0.hash != $1.hash ? $0.hash < $1.hash : $0.node < $1.node }
        var earliest: Int? = nil
        var i = 0
        let records = nameScratch
        while i < records.count {
            var j = i + 1
            while j < records.count, records[j].hash == records[i].hash { j += 1 }
            if j - i > 1 {
                for b in (i + 1)..<j {
                    if let e = earliest, Int(records[b].node) >= e { break }
                    var a = i
                    while a < b, !namesEqual(Int(records[a].node), Int(records[b].node)) { a += 1 }
                    if a < b {
                        earliest = Int(records[b].node)
                        break
                    }
                }
            }
            i = j
        }
        return earliest
    }

    /// Seeded hash of a string node's decoded bytes (escaped names are decoded first, so both spellings agree).
    private mutating func nameHash(_ i: Int) -> Int {
        var hasher = Hasher()
        let decoded = withDecodedString(Value(index: Int32(i))) { bytes -> Int in
            hasher.combine(bytes: bytes)
            return bytes.count
        } ?? 0
        nameCheckWork.bytesHashed += decoded
        return hasher.finalize()
    }

    private mutating func namesEqual(_ a: Int, _ b: Int) -> Bool {
        nameCheckWork.bytesCompared += Int(min(nodes[a].end - nodes[a].start, nodes[b].end - nodes[b].start))
        return stringsEqual(a, b)
    }
}
