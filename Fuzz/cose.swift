// Fuzz target `cose`: the input as a COSE_Key — parse it and build its key: the OpenSSL public key (RSA floor 1024 and
// 2048) and the credential key the verifier would use (OpenSSL, or ML-DSA-65/87 through PasskeyMLDSA for AKP keys).
// Invariants: the parsed key spans the input; a built RSA key is at least the requested size; an AKP key is ML-DSA-65
// or -87 with `pub` exactly its parameter set's length, is never an OpenSSL key, and its ML-DSA key holds exactly `pub`.
import PasskeyCBOR
import PasskeyCOSE
import PasskeyCrypto
import PasskeyMLDSA

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    withInput(data, size) { bytes in
        let reader = CBORReader(bytes)
        guard let item = try? reader.readSingleItem() else { return }
        let key: COSEKey
        do throws(COSEKeyError) {
            key = try COSEKey(reader: reader, item: item)
        } catch {
            return
        }
        guard key.encoded.count == bytes.count else { fuzzFail("COSEKey.encoded is not the whole key") }
        if key.keyType == .akp {
            guard let set = key.mldsaParameterSet, key.algorithm.mldsaParameterSet == set else {
                fuzzFail("AKP key accepted with algorithm \(key.algorithm)")
            }
            guard key.first.count == set.publicKeyByteCount, key.second.isEmpty, key.curve == nil else {
                fuzzFail("AKP \(set) key accepted with pub of \(key.first.count) bytes")
            }
            if (try? key.makePublicKey()) != nil { fuzzFail("an OpenSSL key was built for an AKP key") }
            do throws(COSEKeyError) {
                guard let k = try key.makeCredentialKey().mldsaKey else { fuzzFail("AKP key built as OpenSSL") }
                guard k.parameterSet == set, k.rawRepresentation.elementsEqual(key.first) else {
                    fuzzFail("ML-DSA key does not hold the COSE pub bytes")
                }
            } catch {
                fuzzFail("a well-formed \(set) key was refused: \(error)")
            }
            return
        }
        if key.algorithm.mldsaParameterSet != nil { fuzzFail("ML-DSA algorithm accepted on kty \(key.keyType)") }
        for bits in [1024, 2048] {
            do throws(COSEKeyError) {
                let pk = try key.makePublicKey(minimumRSAModulusBits: bits)
                switch key.keyType {
                case .rsa:
                    guard case let .rsa(n) = pk.kind, n >= bits else { fuzzFail("RSA key below \(bits) bits built") }
                default: break
                }
                guard try key.makeCredentialKey(minimumRSAModulusBits: bits).openSSLKey != nil else {
                    fuzzFail("a classic key was built as ML-DSA")
                }
            } catch {
                continue
            }
        }
    }
    return 0
}
