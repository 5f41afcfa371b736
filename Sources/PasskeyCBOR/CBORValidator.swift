/// The one-pass validating walk behind `CBORReader.readItem(at:)`.
///
/// Iterative, with an explicit stack of open containers (stack-allocated for ordinary limits).
enum CBORValidator {
    /// An open array, map or tag.
    struct Frame {
        /// Children still to read (maps: keys plus values).
        var remaining: UInt64
        var isMap: Bool
        /// Maps: whether all keys so far are strictly increasing bytewise / length-first (either proves distinctness).
        var sortedBytewise: Bool
        var sortedLengthFirst: Bool
        var firstChild: Int
        /// Maps: the number of key/value pairs.
        var pairs: Int
        var keyStart: Int
        var previousKeyStart: Int
        var previousKeyEnd: Int
    }

    static func validate(_ base: UnsafeRawPointer, count: Int, at offset: Int, limits: CBORLimits) throws(CBORError)
        -> CBORItem
    {
        guard limits.maxDepth >= 1 else {
            throw CBORError(.nestingTooDeep, at: offset, detail1: UInt64(max(0, limits.maxDepth)), detail2: 0)
        }
        // At most maxDepth - 1 containers are open at once, each holding at least one item and one byte.
        let capacity = max(1, min(limits.maxDepth - 1, limits.maxItems, count - offset))
        return try withUnsafeTemporaryAllocation(of: Frame.self, capacity: capacity) {
            (stack) throws(CBORError) -> CBORItem in
            try walk(
                base, count: count, at: offset, limits: limits,
                stack: stack.baseAddress.unsafelyUnwrapped, capacity: capacity
            )
        }
    }

    @inline(__always)
    private static func walk(
        _ base: UnsafeRawPointer, count: Int, at offset: Int, limits: CBORLimits,
        stack: UnsafeMutablePointer<Frame>, capacity: Int
    ) throws(CBORError) -> CBORItem {
        var depth = 0  // open containers; the item being read is at depth + 1
        var pos = offset
        var items = 0
        let maxItems = limits.maxItems
        let maxDepth = limits.maxDepth
        var top: CBORHead? = nil

        while true {
            if depth > 0, stack[depth - 1].isMap, stack[depth - 1].remaining & 1 == 0 {
                stack[depth - 1].keyStart = pos
            }
            let head = try CBORHead.checked(base, count: count, at: pos)
            items += 1
            if items > maxItems {
                throw CBORError(.tooManyItems, at: pos, detail1: UInt64(max(0, maxItems)), detail2: 0)
            }
            if top == nil { top = head }
            let left = UInt64(count - head.next)
            var children: UInt64 = 0
            switch head.major {
            case 2, 3:
                guard head.argument <= left else {
                    throw CBORError(.lengthExceedsInput, at: pos, detail1: head.argument, detail2: left)
                }
                let end = head.next + Int(head.argument)
                if head.major == 3, let bad = CBORUTF8.firstInvalid(base, from: head.next, to: end) {
                    throw CBORError(.invalidUTF8, at: bad)
                }
                pos = end
            case 4:
                guard head.argument <= left else {
                    throw CBORError(.lengthExceedsInput, at: pos, detail1: head.argument, detail2: left, isCount: true)
                }
                children = head.argument
                pos = head.next
            case 5:
                guard head.argument <= left / 2 else {
                    throw CBORError(.lengthExceedsInput, at: pos, detail1: head.argument, detail2: left, isCount: true)
                }
                children = head.argument * 2
                pos = head.next
            case 6:
                children = 1
                pos = head.next
            default:
                pos = head.next
            }

            if children != 0 {
                // The children would be at depth + 2.
                guard depth + 2 <= maxDepth, depth < capacity else {
                    throw CBORError(.nestingTooDeep, at: pos, detail1: UInt64(maxDepth), detail2: 0)
                }
                stack[depth] = Frame(
                    remaining: children, isMap: head.major == 5, sortedBytewise: true, sortedLengthFirst: true,
                    firstChild: pos, pairs: Int(truncatingIfNeeded: children / 2), keyStart: pos, previousKeyStart: pos,
                    previousKeyEnd: -1
                )
                depth += 1
                continue
            }

            // An item ended at `pos`: close every container it completes.
            while depth > 0 {
                let i = depth - 1
                if stack[i].isMap, stack[i].remaining & 1 == 0 {
                    checkKey(base, frame: &stack[i], keyEnd: pos)
                }
                stack[i].remaining -= 1
                if stack[i].remaining != 0 { break }
                if stack[i].isMap, !stack[i].sortedBytewise, !stack[i].sortedLengthFirst {
                    // Neither order holds, so neighbours prove nothing: check the whole key set once, now that
                    // every key and value of the map is validated.
                    var work = DistinctKeysWork()
                    try checkDistinctKeys(base, count: count, firstKey: stack[i].firstChild, pairs: stack[i].pairs, work: &work)
                }
                depth -= 1
            }
            if depth == 0 {
                let h = top.unsafelyUnwrapped
                return CBORItem(
                    type: CBORMajorType(major: h.major),
                    start: offset,
                    end: pos,
                    argument: h.argument,
                    contentStart: h.next,
                    additionalInfo: h.additionalInfo
                )
            }
        }
    }

    /// Updates the map's order flags with the key that just ended at `keyEnd`: strictly increasing keys (in either
    /// order) are distinct, so a sorted map needs no further check.
    @inline(__always)
    private static func checkKey(_ base: UnsafeRawPointer, frame: inout Frame, keyEnd: Int) {
        let keyStart = frame.keyStart
        defer {
            frame.previousKeyStart = keyStart
            frame.previousKeyEnd = keyEnd
        }
        guard frame.previousKeyEnd >= 0 else { return }
        let prevLength = frame.previousKeyEnd - frame.previousKeyStart
        let length = keyEnd - keyStart
        let common = compareBytes(base, frame.previousKeyStart, keyStart, min(prevLength, length))
        // Equal neighbours break both strict orders, so the map is checked as a whole when it closes; every duplicate
        // is reported the same way, at the first key (in encoded order) that repeats an earlier one.
        if frame.sortedBytewise {
            frame.sortedBytewise = common < 0 || (common == 0 && prevLength < length)
        }
        if frame.sortedLengthFirst {
            frame.sortedLengthFirst = prevLength < length || (prevLength == length && common < 0)
        }
        // An unsorted map is checked as a whole when it closes (checkDistinctKeys): one pass, not one per key.
    }

    /// memcmp-style comparison of two ranges of equal `length`.
    @inline(__always)
    static func compareBytes(_ base: UnsafeRawPointer, _ a: Int, _ b: Int, _ length: Int) -> Int {
        var i = 0
        while i < length {
            let x = base.load(fromByteOffset: a + i, as: UInt8.self)
            let y = base.load(fromByteOffset: b + i, as: UInt8.self)
            if x != y { return x < y ? -1 : 1 }
            i += 1
        }
        return 0
    }
}
