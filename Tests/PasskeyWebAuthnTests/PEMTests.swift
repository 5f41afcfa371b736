import PasskeyCrypto
import PasskeyJSON
import PasskeySoftAuthenticator
import Testing

/// PasskeyJSON's PEM reader: the one path from PEM text to DER for trust anchors, attestation roots and the metadata
/// root, so each of those inputs accepts exactly the same spellings.
@Suite struct PEMTests {
    @Test func readsWhatOpenSSLWritesAndBundlesWithText() throws {
        let a = try TestCA(name: "PEM A"), b = try TestCA(name: "PEM B")
        #expect(try PEM.certificates(a.root.pemString) == [a.root.derBytes])
        let bundle = "# two roots\nsubject: A\n" + a.root.pemString + "\nsubject: B\n" + b.root.pemString
        #expect(try PEM.certificates(bundle) == [a.root.derBytes, b.root.derBytes])
        // CRLF line ends and indentation are line breaks and blanks, not data.
        let crlf = a.root.pemString.split(separator: "\n").map { "  " + $0 }.joined(separator: "\r\n")
        #expect(try PEM.certificates(crlf) == [a.root.derBytes])
        // Another label is skipped by certificates(), reported by blocks().
        let mixed = "-----BEGIN X509 CRL-----\nAAEC\n-----END X509 CRL-----\n" + a.root.pemString
        #expect(try PEM.certificates(mixed) == [a.root.derBytes])
        #expect(try PEM.blocks(mixed).map(\.label) == ["X509 CRL", "CERTIFICATE"])
        #expect(try PEM.certificates("no PEM here") == [])
    }

    @Test func refusesBrokenBlocks() {
        func problem(_ text: String) -> String? {
            do throws(PEM.Problem) {
                _ = try PEM.blocks(text)
                return nil
            } catch {
                return error.description
            }
        }
        #expect(problem("-----BEGIN CERTIFICATE-----\nAAEC\n")?.contains("has no END line") == true)
        #expect(problem("-----BEGIN CERTIFICATE-----\nAAEC\n-----END CRL-----\n")?.contains("has no END line") == true)
        #expect(problem("-----BEGIN CERTIFICATE\nAAEC\n-----END CERTIFICATE-----\n")?.contains("broken") == true)
        // Strict padded standard base64: unpadded, base64url, stray characters and empty bodies are refused.
        for body in ["AAE", "AA-_", "AA*C", "", "AAEC=", "Proc-Type: 4,ENCRYPTED\nAAEC"] {
            #expect(
                problem("-----BEGIN CERTIFICATE-----\n\(body)\n-----END CERTIFICATE-----\n")?.contains("base64") == true,
                "\(body)")
        }
    }
}
