// Fuzz target `cbor`: CBORReader.readSingleItem on the input, then every item walked with every accessor.
// Invariants: items lie inside the buffer and nest inside their parent; arrays/maps yield exactly `argument`
// children that tile the content; map lookups by key find the value the iterator paired with that key; re-reading
// any child at its own offset gives the same item.
import PasskeyCBOR

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    withInput(data, size) { bytes in
        let reader = CBORReader(bytes)
        guard let root = try? reader.readSingleItem() else { return }
        guard root.start == 0, root.end == bytes.count else { fuzzFail("root item does not span the input") }
        walk(reader, root, depth: 0)
    }
    return 0
}

private func walk(_ r: CBORReader, _ item: CBORItem, depth: Int) {
    guard depth <= 64 else { fuzzFail("walk deeper than the depth limit allows") }
    guard item.start >= 0, item.start < item.end, item.end <= r.buffer.count,
          item.contentStart > item.start, item.contentStart <= item.end
    else { fuzzFail("item bounds \(item) outside buffer of \(r.buffer.count)") }
    guard r.encoded(item).count == item.encodedLength else { fuzzFail("encoded(item) length") }
    guard let again = try? r.readItem(at: item.start), again == item else {
        fuzzFail("re-reading the item at \(item.start) differs")
    }
    // Every accessor on every item: must throw or answer, never trap.
    if let b = try? r.bytes(item) {
        guard item.type == .bytes, b.count == Int(item.argument) else { fuzzFail("bytes() on \(item)") }
    }
    if let t = try? r.textBytes(item) {
        guard item.type == .text, t.count == Int(item.argument) else { fuzzFail("textBytes() on \(item)") }
        guard let s = try? r.string(item), s.utf8.count == t.count else { fuzzFail("validated text not a String") }
        _ = try? r.value(in: item, textKey: s)
    }
    if let i = try? r.int(item) {
        guard item.type == .unsigned || item.type == .negative else { fuzzFail("int() on \(item)") }
        if item.type == .unsigned, let u = try? r.unsigned(item), Int64(exactly: u) != i { fuzzFail("int/unsigned") }
    }
    _ = try? r.unsigned(item)
    _ = try? r.bool(item)
    _ = r.isNull(item)
    _ = try? r.double(item)
    switch item.type {
    case .array:
        guard let it = try? r.elements(of: item) else { fuzzFail("elements(of:) threw on an array") }
        var pos = item.contentStart
        var n: UInt64 = 0
        for child in it {
            guard child.start == pos else { fuzzFail("array children do not tile the content") }
            walk(r, child, depth: depth + 1)
            pos = child.end
            n += 1
        }
        guard n == item.argument, pos == item.end else { fuzzFail("array yielded \(n) of \(item.argument)") }
    case .map:
        guard let it = try? r.entries(of: item) else { fuzzFail("entries(of:) threw on a map") }
        var pos = item.contentStart
        var n: UInt64 = 0
        for (key, value) in it {
            guard key.start == pos, value.start == key.end else { fuzzFail("map entries do not tile the content") }
            walk(r, key, depth: depth + 1)
            walk(r, value, depth: depth + 1)
            // Duplicate keys are rejected by the validator, so a lookup must find exactly this value.
            if let k = try? r.int(key) {
                guard let found = try? r.value(in: item, intKey: k), found == value else {
                    fuzzFail("lookup of int key \(k) did not find its value")
                }
            } else if key.type == .text, let s = try? r.string(key) {
                guard let found = try? r.value(in: item, textKey: s), found == value else {
                    fuzzFail("lookup of text key \(s.debugDescription) did not find its value")
                }
            }
            pos = value.end
            n += 1
        }
        guard n == item.argument, pos == item.end else { fuzzFail("map yielded \(n) of \(item.argument) pairs") }
        _ = try? r.value(in: item, intKey: 1)
        _ = try? r.value(in: item, intKey: -1)
        _ = try? r.value(in: item, textKey: "fmt")
    case .tag:
        guard let content = try? r.tagContent(item) else { fuzzFail("tagContent threw on a tag") }
        guard content.start == item.contentStart, content.end == item.end else { fuzzFail("tag content bounds") }
        walk(r, content, depth: depth + 1)
    default:
        guard (try? r.elements(of: item)) == nil, (try? r.entries(of: item)) == nil else {
            fuzzFail("iterators accepted a \(item.type)")
        }
    }
}
