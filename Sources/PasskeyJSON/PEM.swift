/// PEM (RFC 7468) as certificates travel in config files, request JSON and CA bundles: `-----BEGIN LABEL-----`, lines
/// of standard base64, `-----END LABEL-----`. The one reader of PEM text in passkeyd (trust anchors, attestation
/// roots, the metadata root), so every input that carries PEM accepts exactly the same spellings.
///
/// Text outside blocks is ignored (RFC 7468 §5.2 explanatory text, as bundles have). Inside a block the body is
/// the strict padded standard base64 of `Base64` once line breaks and blanks are taken out; headers
/// (`Proc-Type:`, RFC 1421) are refused, since certificates have none.
public enum PEM {
    public struct Block: Sendable, Hashable {
        /// The label, e.g. "CERTIFICATE".
        public let label: String
        /// The decoded body (DER for certificates).
        public let bytes: [UInt8]
    }

    public struct Problem: Error, Sendable, Hashable, CustomStringConvertible {
        public let description: String
        init(_ d: String) { description = d }
    }

    /// Every block, in order.
    public static func blocks(_ text: [UInt8]) throws(Problem) -> [Block] {
        let begin = Array("-----BEGIN ".utf8), end = Array("-----END ".utf8), dashes = Array("-----".utf8)
        var out: [Block] = []
        var rest = text[...]
        while let open = rest.firstRange(of: begin) {
            guard let labelEnd = rest[open.upperBound...].firstRange(of: dashes) else {
                throw Problem("block \(out.count): the BEGIN line does not end with -----")
            }
            let label = rest[open.upperBound..<labelEnd.lowerBound]
            guard !label.contains(UInt8(ascii: "\n")) else { throw Problem("block \(out.count): the BEGIN line is broken") }
            let close = Array(end + label + dashes)
            guard let stop = rest[labelEnd.upperBound...].firstRange(of: close) else {
                throw Problem("block \(out.count) (\(String(decoding: label, as: UTF8.self))) has no END line")
            }
            var body: [UInt8] = []
            body.reserveCapacity(stop.lowerBound - labelEnd.upperBound)
            for c in rest[labelEnd.upperBound..<stop.lowerBound] {
                switch c {
                case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: "\n"): continue
                default: body.append(c)
                }
            }
            guard let bytes = body.withUnsafeBytes({ Base64.decode($0) }), !bytes.isEmpty else {
                throw Problem("block \(out.count) (\(String(decoding: label, as: UTF8.self))) is not padded standard base64")
            }
            out.append(Block(label: String(decoding: label, as: UTF8.self), bytes: bytes))
            rest = rest[stop.upperBound...]
        }
        return out
    }

    public static func blocks(_ text: String) throws(Problem) -> [Block] { try blocks(Array(text.utf8)) }

    /// The DER of every CERTIFICATE block (other labels are skipped).
    public static func certificates(_ text: [UInt8]) throws(Problem) -> [[UInt8]] {
        try blocks(text).compactMap { $0.label == "CERTIFICATE" ? $0.bytes : nil }
    }

    public static func certificates(_ text: String) throws(Problem) -> [[UInt8]] { try certificates(Array(text.utf8)) }

    /// `certificates`, refusing a text with none (a trust anchor or root that names no certificate is a mistake).
    public static func someCertificates(_ text: [UInt8]) throws(Problem) -> [[UInt8]] {
        let found = try certificates(text)
        guard !found.isEmpty else { throw Problem("no CERTIFICATE block") }
        return found
    }

    public static func someCertificates(_ text: String) throws(Problem) -> [[UInt8]] { try someCertificates(Array(text.utf8)) }
}
