/**
 * The PKCS#11 numbers this package uses, by their specification names.
 *
 * Values from PKCS#11 Base Specification v3.0 (and v2.40 where they already existed): object classes
 * §4.3, key types §4.4 / Current Mechanisms v3.0 §2.3 (CKK_EC_EDWARDS), attributes §4.x, mechanisms
 * Current Mechanisms v3.0 (EdDSA §2.3.6, ECDSA §2.3.7, AES-GCM §2.12.3, AES key wrap §2.14, HMAC-SHA-256 §2.21, CKM_GENERIC_SECRET_KEY_GEN), session
 * states §5.6, flags §5.3. Named here rather than taken from graphene, whose 2.3.6 enum lacks the
 * Edwards-curve values, so that every number sent to a token is visible in one auditable place.
 */

// Object classes (CKO_*).
export const CKO_DATA = 0x00;
export const CKO_SECRET_KEY = 0x04;
export const CKO_PUBLIC_KEY = 0x02;
export const CKO_PRIVATE_KEY = 0x03;

// Key types (CKK_*).
export const CKK_EC = 0x03;
export const CKK_GENERIC_SECRET = 0x10;
export const CKK_AES = 0x1f;
export const CKK_EC_EDWARDS = 0x40;

// Attributes (CKA_*).
export const CKA_CLASS = 0x0000;
export const CKA_TOKEN = 0x0001;
export const CKA_PRIVATE = 0x0002;
export const CKA_LABEL = 0x0003;
export const CKA_APPLICATION = 0x0010;
export const CKA_VALUE = 0x0011;
export const CKA_KEY_TYPE = 0x0100;
export const CKA_ID = 0x0102;
export const CKA_SENSITIVE = 0x0103;
export const CKA_ENCRYPT = 0x0104;
export const CKA_DECRYPT = 0x0105;
export const CKA_WRAP = 0x0106;
export const CKA_UNWRAP = 0x0107;
export const CKA_SIGN = 0x0108;
export const CKA_SIGN_RECOVER = 0x0109;
export const CKA_VERIFY = 0x010a;
export const CKA_VERIFY_RECOVER = 0x010b;
export const CKA_DERIVE = 0x010c;
export const CKA_VALUE_LEN = 0x0161;
export const CKA_EXTRACTABLE = 0x0162;
export const CKA_NEVER_EXTRACTABLE = 0x0164;
export const CKA_ALWAYS_SENSITIVE = 0x0165;
export const CKA_MODIFIABLE = 0x0170;
export const CKA_COPYABLE = 0x0171;
export const CKA_DESTROYABLE = 0x0172;
export const CKA_EC_PARAMS = 0x0180;
export const CKA_EC_POINT = 0x0181;

// Mechanisms (CKM_*).
/** HMAC-SHA-256, full 32-byte output (Current Mechanisms v3.0 §2.21 / v2.40 §2.7.2). */
export const CKM_SHA256_HMAC = 0x0251;
export const CKM_GENERIC_SECRET_KEY_GEN = 0x0350;
export const CKM_EC_KEY_PAIR_GEN = 0x1040;
export const CKM_ECDSA = 0x1041;
export const CKM_ECDSA_SHA256 = 0x1044;
export const CKM_EC_EDWARDS_KEY_PAIR_GEN = 0x1055;
export const CKM_EDDSA = 0x1057;
export const CKM_AES_KEY_GEN = 0x1080;
export const CKM_AES_GCM = 0x1087;
export const CKM_AES_KEY_WRAP = 0x2109;
/** v2.40 name; SoftHSM implements it as RFC 5649 (AES key wrap with padding). v3.0 adds CKM_AES_KEY_WRAP_KWP. */
export const CKM_AES_KEY_WRAP_PAD = 0x210a;
export const CKM_AES_KEY_WRAP_KWP = 0x210b;

// Session flags and states.
export const CKF_RW_SESSION = 0x02;
export const CKF_SERIAL_SESSION = 0x04;
export const CKF_OS_LOCKING_OK = 0x02;
export const CKS_RO_USER_FUNCTIONS = 1;
export const CKS_RW_USER_FUNCTIONS = 3;
export const CKU_USER = 1;

// Token flags (CK_TOKEN_INFO.flags).
export const CKF_RNG = 0x01;
export const CKF_LOGIN_REQUIRED = 0x04;
export const CKF_USER_PIN_INITIALIZED = 0x08;
export const CKF_TOKEN_INITIALIZED = 0x400;
export const CKF_USER_PIN_COUNT_LOW = 0x10000;
export const CKF_USER_PIN_FINAL_TRY = 0x20000;
export const CKF_USER_PIN_LOCKED = 0x40000;

/** Mechanisms `hrng hsm info` reports, with the names operators will find in vendor documentation. */
export const MECHANISMS_OF_INTEREST: readonly (readonly [number, string])[] = [
  [CKM_EC_EDWARDS_KEY_PAIR_GEN, 'CKM_EC_EDWARDS_KEY_PAIR_GEN'],
  [CKM_EDDSA, 'CKM_EDDSA'],
  [CKM_EC_KEY_PAIR_GEN, 'CKM_EC_KEY_PAIR_GEN'],
  [CKM_ECDSA, 'CKM_ECDSA'],
  [CKM_ECDSA_SHA256, 'CKM_ECDSA_SHA256'],
  [CKM_AES_KEY_GEN, 'CKM_AES_KEY_GEN'],
  [CKM_AES_GCM, 'CKM_AES_GCM'],
  [CKM_AES_KEY_WRAP, 'CKM_AES_KEY_WRAP'],
  [CKM_AES_KEY_WRAP_PAD, 'CKM_AES_KEY_WRAP_PAD'],
  [CKM_AES_KEY_WRAP_KWP, 'CKM_AES_KEY_WRAP_KWP'],
];
