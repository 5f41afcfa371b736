/// The most arena memory unpacking one request may take: `baseBytes + bytesPerPayloadByte × payload bytes`.
///
/// protobuf-c builds a struct for every message, a pointer or a 16-byte descriptor for every repeated element and a
/// copy of every string and byte field, and it sizes its scan tables by the number of fields it meets; an empty item or
/// an empty string costs 2 bytes on the wire and 40–200 bytes unpacked. The budget ties that to the frame, so a 1 MiB
/// frame costs at most a few MiB whatever it holds; past it the request is refused with `RESOURCE_EXHAUSTED`.
///
/// The default comes from measurements (`UnpackBudgetTests` prints them). Real requests unpack to at most 2.2× their
/// size: a 1 MiB batch of ~2,500–2,800 assertions with raw fields and an inline policy each (the densest real batch)
/// takes 2.0–2.1×, `response_json` items 1.5×, packed registrations with certificate chains 1.25×, a policy with 64
/// origins and a trust anchor 2.2×; a single assertion takes under 1 KiB. The shapes that amplify need 8× (a packed
/// integer list: 1 byte in, 8 out) to 24× (empty strings or byte strings), 48× (unknown fields), 73× (empty items)
/// and 280× (one policy repeated, which protobuf merges by concatenating its lists each time). 4× plus 64 KiB gives
/// real requests nearly twice what they need and refuses every such shape at half its need. Items cost ~450 bytes of
/// structs however small they are on the wire, so a batch of items much smaller than a real credential (~200 bytes)
/// is refused too.
public struct UnpackBudget: Sendable, Equatable {
    public var baseBytes: Int
    public var bytesPerPayloadByte: Int

    public init(baseBytes: Int, bytesPerPayloadByte: Int) {
        self.baseBytes = baseBytes
        self.bytesPerPayloadByte = bytesPerPayloadByte
    }

    public static let `default` = UnpackBudget(baseBytes: 64 << 10, bytesPerPayloadByte: 4)

    /// The budget for a payload of `count` bytes.
    public func bytes(forPayload count: Int) -> Int {
        let (scaled, o1) = max(0, count).multipliedReportingOverflow(by: max(0, bytesPerPayloadByte))
        let (sum, o2) = scaled.addingReportingOverflow(max(0, baseBytes))
        return o1 || o2 ? Int.max : max(1, sum)
    }
}
