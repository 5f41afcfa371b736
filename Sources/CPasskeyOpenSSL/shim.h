#ifndef PASSKEYD_OPENSSL_SHIM_H
#define PASSKEYD_OPENSSL_SHIM_H
// The only door from Swift to OpenSSL 3 (libcrypto). Only PasskeyCrypto imports this module.
// Everything here uses non-deprecated OpenSSL 3.0 APIs only.
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
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
// which must be built and freed around the single EVP_PKEY_fromdata call.
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

#endif
