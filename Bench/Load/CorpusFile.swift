import PasskeyJSON
import PasskeyWebAuthn

/// The corpus as JSON lines (`--save-corpus`, `--corpus`; read by Bench/peer): a header object, then one assertion per
/// line with base64url fields.
///
/// ```
/// {"rp_id":"…","origin":"https://…","challenge_b64url":"…","algorithm":-7,"algorithms":[-7],"count":256,"format":"passkey-bench-corpus","version":2}
/// {"credential_id":"…","authenticator_data":"…","client_data_json":"…","signature":"…","public_key_cose":"…","algorithm":-7}
/// ```
/// The header's `algorithm` is the COSE number when every line has the same one, else `"mix"`. A line may carry
/// `user_handle`. Reading accepts files without the per-line `algorithm` (version 1): the header's, else the COSE key's.
enum CorpusFile {
    static func text(_ corpus: Corpus) -> String {
        func q(_ s: String) -> String { JSONWriter.quoted(s) }
        func b(_ bytes: [UInt8]) -> String { q(Base64URL.encode(bytes)) }
        let algs = corpus.algorithms
        let headerAlg = algs.count == 1 ? "\(algs[0])" : q("mix")
        var text = "{\"rp_id\":\(q(corpus.rpID)),\"origin\":\(q(corpus.origin)),"
            + "\"challenge_b64url\":\(b(corpus.challenge)),\"algorithm\":\(headerAlg),"
            + "\"algorithms\":[\(algs.map { "\($0)" }.joined(separator: ","))],\"count\":\(corpus.items.count),"
            + "\"format\":\"passkey-bench-corpus\",\"version\":2}\n"
        for a in corpus.items {
            text += "{\"credential_id\":\(b(a.credentialID)),\"authenticator_data\":\(b(a.authenticatorData)),"
                + "\"client_data_json\":\(b(a.clientDataJSON)),\"signature\":\(b(a.signature)),"
                + "\"public_key_cose\":\(b(a.publicKeyCOSE)),\"algorithm\":\(a.algorithm)"
            if let h = a.userHandle { text += ",\"user_handle\":\(b(h))" }
            text += "}\n"
        }
        return text
    }

    static func load(path: String) throws -> Corpus {
        guard let bytes = readFileBytes(path) else { throw IOError(description: "\(path): cannot read") }
        var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true)
            .filter { !$0.allSatisfy { $0 == 0x20 || $0 == 0x0D || $0 == 0x09 } }
        guard !lines.isEmpty else { throw IOError(description: "\(path): empty") }
        let headerLine = lines.removeFirst()
        var reader = JSONReader()

        func fail(_ line: Int, _ why: String) -> IOError { IOError(description: "\(path):\(line): \(why)") }

        // Header.
        var rpID = "", origin = "", challenge: [UInt8] = []
        var headerAlgorithm: Int64?
        try Array(headerLine).withUnsafeBytes { raw in
            let root: JSONReader.Value
            do { root = try reader.parse(raw) } catch { throw fail(1, "\(error)") }
            guard let r = reader.member(root, "rp_id").flatMap({ reader.string($0) }),
                let o = reader.member(root, "origin").flatMap({ reader.string($0) }),
                let c = reader.member(root, "challenge_b64url").flatMap({ reader.string($0) }).flatMap({ Base64URL.decode($0) })
            else { throw fail(1, "header needs rp_id, origin and challenge_b64url") }
            rpID = r
            origin = o
            challenge = c
            headerAlgorithm = reader.member(root, "algorithm").flatMap { reader.int64($0) }
        }

        // Assertions.
        var items: [CorpusItem] = []
        items.reserveCapacity(lines.count)
        for (n, line) in lines.enumerated() {
            let lineNumber = n + 2
            let item: CorpusItem = try Array(line).withUnsafeBytes { raw in
                let root: JSONReader.Value
                do { root = try reader.parse(raw) } catch { throw fail(lineNumber, "\(error)") }
                func field(_ name: StaticString) throws -> [UInt8] {
                    guard let v = reader.member(root, name), let s = reader.string(v), let d = Base64URL.decode(s) else {
                        throw fail(lineNumber, "missing or bad base64url field \(name)")
                    }
                    return d
                }
                let key = try field("public_key_cose")
                let alg = reader.member(root, "algorithm").flatMap { reader.int64($0) } ?? headerAlgorithm
                    ?? COSEPeek.algorithm(key)
                guard let alg else { throw fail(lineNumber, "no algorithm (line, header or COSE key)") }
                var handle: [UInt8]?
                if let v = reader.member(root, "user_handle"), reader.kind(v) == .string {
                    handle = try field("user_handle")
                }
                return CorpusItem(
                    algorithm: alg, credentialID: try field("credential_id"), publicKeyCOSE: key,
                    authenticatorData: try field("authenticator_data"), clientDataJSON: try field("client_data_json"),
                    signature: try field("signature"), userHandle: handle)
            }
            items.append(item)
        }
        guard !items.isEmpty else { throw IOError(description: "\(path): no assertions after the header") }
        return Corpus(rpID: rpID, origin: origin, challenge: challenge, items: items)
    }
}

/// Reads label 3 (alg) of a COSE_Key map: unsigned and negative integers, byte and text strings are understood, which
/// is all a COSE public key holds.
enum COSEPeek {
    static func algorithm(_ key: [UInt8]) -> Int64? {
        var p = 0
        func head() -> (major: UInt8, value: UInt64)? {
            guard p < key.count else { return nil }
            let major = key[p] >> 5, info = key[p] & 0x1F
            p += 1
            var extra = 0
            switch info {
            case 0..<24: return (major, UInt64(info))
            case 24: extra = 1
            case 25: extra = 2
            case 26: extra = 4
            case 27: extra = 8
            default: return nil
            }
            guard p + extra <= key.count else { return nil }
            var v: UInt64 = 0
            for _ in 0..<extra {
                v = v << 8 | UInt64(key[p])
                p += 1
            }
            return (major, v)
        }
        func int(_ h: (major: UInt8, value: UInt64)) -> Int64? {
            guard h.value <= UInt64(Int64.max) else { return nil }
            switch h.major {
            case 0: return Int64(h.value)
            case 1: return -1 - Int64(h.value)
            default: return nil
            }
        }
        guard let map = head(), map.major == 5 else { return nil }
        for _ in 0..<map.value {
            guard let k = head(), let label = int(k), let v = head() else { return nil }
            if label == 3 { return int(v) }
            switch v.major {
            case 2, 3:
                guard v.value <= UInt64(key.count - p) else { return nil }
                p += Int(v.value)
            case 0, 1: break
            default: return nil
            }
        }
        return nil
    }
}
