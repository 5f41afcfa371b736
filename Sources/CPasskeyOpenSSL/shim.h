#ifndef PASSKEYD_OPENSSL_SHIM_H
#define PASSKEYD_OPENSSL_SHIM_H
// The only door from Swift to OpenSSL 3 (libcrypto). Only PasskeyCrypto imports this module.
// Non-deprecated OpenSSL 3.0 APIs, except the legacy EC_KEY / RSA calls at the end (marked "deprecated in 3.0"):
// they build a cold key ~10x faster than EVP_PKEY_fromdata (docs/DESIGN.md, "Cold keys"). Their deprecation
// attributes are silenced here, before any OpenSSL header, and only here; Swift calls them only through passkey_*.
#ifndef OPENSSL_SUPPRESS_DEPRECATED
#define OPENSSL_SUPPRESS_DEPRECATED
#endif
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/decoder.h>
#include <openssl/ec.h>
#include <openssl/ecdsa.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/objects.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>
#include <limits.h>
#include <stddef.h>
#include <time.h>

// Curve identifiers shared with Swift (ECCurve.shimID / EdwardsCurve.shimID).
#define PASSKEY_CURVE_P256 0
#define PASSKEY_CURVE_P384 1
#define PASSKEY_CURVE_P521 2
#define PASSKEY_CURVE_SECP256K1 3
#define PASSKEY_CURVE_ED25519 0
#define PASSKEY_CURVE_ED448 1

// Group names as C literals: static storage, so they outlive any OSSL_PARAM that points at them
// (a Swift String bridged to `const char *` is a temporary).
static inline const char *passkey_ec_group_name(int curve) {
    switch (curve) {
    case PASSKEY_CURVE_P256: return "prime256v1";
    case PASSKEY_CURVE_P384: return "secp384r1";
    case PASSKEY_CURVE_P521: return "secp521r1";
    case PASSKEY_CURVE_SECP256K1: return "secp256k1";
    default: return NULL;
    }
}

// OSSL_PARAM arrays hold raw pointers to names and values; build and consume them in one C frame.
// `point` is an encoded point (04||x||y). EVP_PKEY_fromdata -> EC_POINT_oct2point rejects
// coordinates >= p and points not on the curve. Returns NULL on any failure.
static inline EVP_PKEY *passkey_ec_public_key(int curve, const unsigned char *point, size_t len) {
    const char *group = passkey_ec_group_name(curve);
    if (group == NULL || point == NULL || len == 0) return NULL;
    OSSL_PARAM params[3];
    params[0] = OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, (char *)group, 0);
    params[1] = OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, (void *)point, len);
    params[2] = OSSL_PARAM_construct_end();
    EVP_PKEY *pkey = NULL;
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
    if (ctx == NULL || EVP_PKEY_fromdata_init(ctx) != 1
        || EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) != 1) {
        EVP_PKEY_free(pkey);
        pkey = NULL;
    }
    EVP_PKEY_CTX_free(ctx);
    return pkey;
}

// RSA public key from big-endian n and e; OSSL_PARAM_BLD owns the BIGNUM-backed param array,
// which must be built and freed around the single EVP_PKEY_fromdata call. The previous route (now the route table's
// reference row, and the way back if a later OpenSSL drops the RSA API); PublicKey.rsa uses the legacy one below.
static inline EVP_PKEY *passkey_rsa_public_key(const unsigned char *n, size_t n_len,
                                               const unsigned char *e, size_t e_len) {
    if (n == NULL || e == NULL || n_len == 0 || e_len == 0 || n_len > INT_MAX || e_len > INT_MAX) return NULL;
    EVP_PKEY *pkey = NULL;
    BIGNUM *bn_n = BN_bin2bn(n, (int)n_len, NULL);
    BIGNUM *bn_e = BN_bin2bn(e, (int)e_len, NULL);
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    OSSL_PARAM *params = NULL;
    EVP_PKEY_CTX *ctx = NULL;
    if (bn_n != NULL && bn_e != NULL && bld != NULL
        && OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, bn_n) == 1
        && OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, bn_e) == 1
        && (params = OSSL_PARAM_BLD_to_param(bld)) != NULL
        && (ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL)) != NULL
        && EVP_PKEY_fromdata_init(ctx) == 1) {
        if (EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) != 1) {
            EVP_PKEY_free(pkey);
            pkey = NULL;
        }
    }
    EVP_PKEY_CTX_free(ctx);
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(bld);
    BN_free(bn_n);
    BN_free(bn_e);
    return pkey;
}

// EVP_PKEY_ED25519 / EVP_PKEY_ED448 are macro chains; keep the NID choice on the C side.
static inline EVP_PKEY *passkey_edwards_public_key(int curve, const unsigned char *key, size_t len) {
    int type = curve == PASSKEY_CURVE_ED25519 ? EVP_PKEY_ED25519 : EVP_PKEY_ED448;
    if (key == NULL) return NULL;
    return EVP_PKEY_new_raw_public_key(type, NULL, key, len);
}

// BN_num_bytes is a function-like macro.
static inline int passkey_bn_num_bytes(const BIGNUM *bn) {
    return BN_num_bytes(bn);
}

// OPENSSL_free is a macro (adds file/line).
static inline void passkey_openssl_free(void *p) {
    OPENSSL_free(p);
}

// BIO_get_mem_data is a macro over BIO_ctrl with a pointer-to-pointer cast.
static inline long passkey_bio_mem_data(BIO *bio, const char **data) {
    char *p = NULL;
    long n = BIO_get_mem_data(bio, &p);
    *data = p;
    return n;
}

// A password callback that refuses, so reading an encrypted PEM never prompts on a terminal.
static inline int passkey_no_password(char *buf, int size, int rwflag, void *u) {
    (void)buf; (void)size; (void)rwflag; (void)u;
    return 0;
}

// PEM_read_bio_PrivateKey with the refusing callback (a C function pointer, not a Swift closure).
static inline EVP_PKEY *passkey_pem_read_private_key(BIO *bio) {
    return PEM_read_bio_PrivateKey(bio, NULL, passkey_no_password, NULL);
}

// STACK_OF(X509) operations are type-casting macros; the stack never owns its certificates here.
static inline STACK_OF(X509) *passkey_x509_stack_new(void) {
    return sk_X509_new_null();
}
static inline int passkey_x509_stack_push(STACK_OF(X509) *sk, X509 *cert) {
    return sk_X509_push(sk, cert);
}
static inline void passkey_x509_stack_free(STACK_OF(X509) *sk) {
    sk_X509_free(sk);
}

// Reading the chain X509_verify_cert built (X509_STORE_CTX_get0_chain): sk_X509_num / sk_X509_value are macros.
static inline int passkey_x509_stack_count(const STACK_OF(X509) *sk) {
    return sk_X509_num(sk);
}
static inline X509 *passkey_x509_stack_at(const STACK_OF(X509) *sk, int index) {
    return sk_X509_value(sk, index);
}

// ---- Cold keys: the legacy EC_KEY route (deprecated in 3.0, present in every 3.x) ----
// EC_GROUP_new_by_curve_name costs ~8 µs (it is most of EVP_PKEY_fromdata's ~20 µs); PasskeyCrypto makes one
// group per curve at first use and keeps it for the process. NIDs stay on the C side (macros).
static inline EC_GROUP *passkey_ec_group_new(int curve) {
    int nid;
    switch (curve) {
    case PASSKEY_CURVE_P256: nid = NID_X9_62_prime256v1; break;
    case PASSKEY_CURVE_P384: nid = NID_secp384r1; break;
    case PASSKEY_CURVE_P521: nid = NID_secp521r1; break;
    case PASSKEY_CURVE_SECP256K1: nid = NID_secp256k1; break;
    default: return NULL;
    }
    return EC_GROUP_new_by_curve_name(nid);
}

// An EC_KEY holding only the public point `point` (04||x||y) on a copy of the shared `group` (EC_KEY_set_group
// duplicates it: ~0.6 µs, and the copy is what a kept key costs). EC_KEY_oct2key -> EC_POINT_oct2point rejects a
// coordinate >= p and a point off the curve, as EVP_PKEY_fromdata did; it does not run EC_KEY_check_key (the n·Q
// multiplication, ~50 µs, which adds nothing on these cofactor-1 curves). Only the uncompressed form is accepted
// (the only one the Swift side builds). Returns NULL on any failure.
static inline EC_KEY *passkey_ec_key_from_point(const EC_GROUP *group, const unsigned char *point, size_t len) {
    if (group == NULL || point == NULL || len < 3 || point[0] != 0x04) return NULL;
    EC_KEY *key = EC_KEY_new();
    if (key == NULL || EC_KEY_set_group(key, group) != 1 || EC_KEY_oct2key(key, point, len, NULL) != 1) {
        EC_KEY_free(key);
        return NULL;
    }
    return key;
}

static inline void passkey_ec_key_free(EC_KEY *key) {
    EC_KEY_free(key);
}

// An EVP_PKEY sharing `key` (one more reference; no copy, ~0.1 µs) for the EVP-level uses of a public key
// (i2d_PUBKEY, X509_set_pubkey, the raw-verify ceiling). The first provider operation exports it once, under the
// EVP_PKEY's own lock.
static inline EVP_PKEY *passkey_evp_pkey_sharing_ec_key(EC_KEY *key) {
    EVP_PKEY *pkey = EVP_PKEY_new();
    if (pkey == NULL || EVP_PKEY_set1_EC_KEY(pkey, key) != 1) {
        EVP_PKEY_free(pkey);
        return NULL;
    }
    return pkey;
}

// ECDSA_verify is what the default provider's EVP_PKEY_verify calls on its own EC_KEY: the same DER parse (with its
// re-encoding check), the same digest truncation, without the provider dispatch. 1 = valid, 0 = invalid, -1 = error.
static inline int passkey_ecdsa_verify(const unsigned char *digest, size_t digest_len,
                                       const unsigned char *sig, size_t sig_len, EC_KEY *key) {
    if (digest_len > INT_MAX || sig_len > INT_MAX) return -1;
    return ECDSA_verify(0, digest, (int)digest_len, sig, (int)sig_len, key);
}

// ---- Key-building routes measured by the route table (PublicKey+Routes.swift); not used to verify ----
// SubjectPublicKeyInfo DER through the OSSL_DECODER API (the route under d2i_PUBKEY, with the key type given).
static inline EVP_PKEY *passkey_decoder_public_key(const unsigned char *der, size_t len, const char *type) {
    EVP_PKEY *pkey = NULL;
    OSSL_DECODER_CTX *dctx = OSSL_DECODER_CTX_new_for_pkey(&pkey, "DER", "SubjectPublicKeyInfo", type,
                                                           EVP_PKEY_PUBLIC_KEY, NULL, NULL);
    if (dctx == NULL) return NULL;
    const unsigned char *cursor = der;
    size_t left = len;
    if (OSSL_DECODER_from_data(dctx, &cursor, &left) != 1 || left != 0) {
        EVP_PKEY_free(pkey);
        pkey = NULL;
    }
    OSSL_DECODER_CTX_free(dctx);
    return pkey;
}

// EC_KEY_new_by_curve_name + EC_KEY_oct2key: the legacy route without a shared group (a new group per key).
static inline EC_KEY *passkey_ec_key_new_by_curve(int curve, const unsigned char *point, size_t len) {
    EC_GROUP *group = passkey_ec_group_new(curve);
    if (group == NULL) return NULL;
    EC_KEY *key = passkey_ec_key_from_point(group, point, len);
    EC_GROUP_free(group);
    return key;
}

// EC_KEY_set_public_key_affine_coordinates on a shared group: runs EC_KEY_check_key (the n·Q multiplication).
static inline EC_KEY *passkey_ec_key_checked(const EC_GROUP *group, const unsigned char *x, const unsigned char *y,
                                             size_t coordinate_len) {
    if (coordinate_len > INT_MAX) return NULL;
    EC_KEY *key = EC_KEY_new();
    BIGNUM *bx = BN_bin2bn(x, (int)coordinate_len, NULL), *by = BN_bin2bn(y, (int)coordinate_len, NULL);
    if (key == NULL || bx == NULL || by == NULL || EC_KEY_set_group(key, group) != 1
        || EC_KEY_set_public_key_affine_coordinates(key, bx, by) != 1) {
        EC_KEY_free(key);
        key = NULL;
    }
    BN_free(bx);
    BN_free(by);
    return key;
}

// ---- Cold keys: the legacy RSA route (deprecated in 3.0), what PublicKey.rsa and SignatureVerifier use ----
// Legacy RSA (RSA_set0_key): the RSA object owns both BIGNUMs. BN_bin2bn takes leading zero bytes; the Swift side
// has already checked the sizes, parity and e < n.
static inline RSA *passkey_rsa_legacy_public_key(const unsigned char *n, size_t n_len,
                                                 const unsigned char *e, size_t e_len) {
    if (n_len > INT_MAX || e_len > INT_MAX) return NULL;
    RSA *rsa = RSA_new();
    BIGNUM *bn = BN_bin2bn(n, (int)n_len, NULL), *be = BN_bin2bn(e, (int)e_len, NULL);
    if (rsa == NULL || bn == NULL || be == NULL || RSA_set0_key(rsa, bn, be, NULL) != 1) {
        RSA_free(rsa);
        BN_free(bn);
        BN_free(be);
        return NULL;
    }
    return rsa;
}

static inline void passkey_rsa_legacy_free(RSA *rsa) {
    RSA_free(rsa);
}

// An EVP_PKEY sharing `rsa` (one more reference, no copy) for the EVP-level uses of an RSA public key (i2d_PUBKEY,
// certificates, the raw-verify ceiling); as for EC, the first provider operation exports it once under its own lock.
static inline EVP_PKEY *passkey_evp_pkey_sharing_rsa(RSA *rsa) {
    EVP_PKEY *pkey = EVP_PKEY_new();
    if (pkey == NULL || EVP_PKEY_set1_RSA(pkey, rsa) != 1) {
        EVP_PKEY_free(pkey);
        return NULL;
    }
    return pkey;
}

// What the default provider's RSA verify (providers/implementations/signature/rsa_sig.c, rsa_verify) runs on its own
// RSA for the two paddings, without the dispatch or an EVP_PKEY_CTX:
// - PKCS#1 v1.5: RSA_verify with md's NID, which rebuilds the DigestInfo for that hash and compares it byte for byte
//   with the recovered block (wrong OID, missing DigestInfo or any other encoding: 0);
// - PSS: RSA_public_decrypt without padding, then RSA_verify_PKCS1_PSS_mgf1 with MGF1 over the same md and the salt
//   length fixed to the digest length (what EVP's RSA_PSS_SALTLEN_DIGEST means on verify: exactly hLen, not "auto").
// The signature must be exactly RSA_size bytes (RSA_public_decrypt would accept a shorter one), at most 1024 (the
// 8192-bit limit PublicKey.rsa enforces), and the digest exactly md's size. The RSA is only read, except for the
// Montgomery context of n that OpenSSL computes at the first public operation and caches under the RSA's own lock
// (RSA_FLAG_CACHE_PUBLIC), so concurrent calls on one RSA are safe. 1 = valid, otherwise invalid.
static inline int passkey_rsa_verify(RSA *rsa, int pss, const EVP_MD *md, const unsigned char *digest,
                                     size_t digest_len, const unsigned char *sig, size_t sig_len) {
    if (rsa == NULL || md == NULL || digest == NULL || sig == NULL) return 0;
    int md_size = EVP_MD_get_size(md);
    if (md_size <= 0 || digest_len != (size_t)md_size || sig_len > 1024 || (size_t)RSA_size(rsa) != sig_len) return 0;
    if (!pss) return RSA_verify(EVP_MD_get_type(md), digest, (unsigned)digest_len, sig, (unsigned)sig_len, rsa) == 1;
    unsigned char em[1024];
    int em_len = RSA_public_decrypt((int)sig_len, sig, em, rsa, RSA_NO_PADDING);
    return em_len == (int)sig_len && RSA_verify_PKCS1_PSS_mgf1(rsa, digest, md, md, em, md_size) == 1;
}

#endif
