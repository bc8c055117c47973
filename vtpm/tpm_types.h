/* TPM 2.0 constants used by the vTPM, with the spec's own names.
 * Source: TCG TPM 2.0 Library Part 2 "Structures" (rev 1.59): TPM_CC (6.5.2), TPM_RC (6.6),
 * TPM_ALG_ID (6.3), TPM_ST (6.9), TPM_SU (6.10), TPM_SE (6.11), TPM_CAP (6.12), TPM_PT (6.13),
 * TPM_PT_PCR (6.14), TPM_RH (7.4), TPMA_SESSION (8.4), TPMA_NV (13.4), TPMA_CC (8.9). */
#ifndef MANTLE_VTPM_TPM_TYPES_H
#define MANTLE_VTPM_TPM_TYPES_H

/* TPM_ST */
#define TPM_ST_NO_SESSIONS 0x8001u
#define TPM_ST_SESSIONS 0x8002u
#define TPM_ST_CONTEXT 0x8007u

/* TPM_SU */
#define TPM_SU_CLEAR 0x0000u
#define TPM_SU_STATE 0x0001u

/* TPM_SE */
#define TPM_SE_HMAC 0x00u
#define TPM_SE_POLICY 0x01u
#define TPM_SE_TRIAL 0x03u

/* TPM_RC: format-zero (TPM_RC_VER1 = 0x100) */
#define TPM_RC_SUCCESS 0x000u
#define TPM_RC_BAD_TAG 0x01Eu
#define TPM_RC_INITIALIZE 0x100u
#define TPM_RC_FAILURE 0x101u
#define TPM_RC_SEQUENCE 0x103u
#define TPM_RC_DISABLED 0x120u
#define TPM_RC_AUTH_TYPE 0x124u
#define TPM_RC_AUTH_MISSING 0x125u
#define TPM_RC_AUTH_UNAVAILABLE 0x12Fu
#define TPM_RC_POLICY 0x126u
#define TPM_RC_PCR 0x127u
#define TPM_RC_COMMAND_SIZE 0x142u
#define TPM_RC_COMMAND_CODE 0x143u
#define TPM_RC_AUTHSIZE 0x144u
#define TPM_RC_AUTH_CONTEXT 0x145u
#define TPM_RC_NV_RANGE 0x146u
#define TPM_RC_NV_SIZE 0x147u
#define TPM_RC_NV_LOCKED 0x148u
#define TPM_RC_NV_AUTHORIZATION 0x149u
#define TPM_RC_NV_UNINITIALIZED 0x14Au
#define TPM_RC_NV_SPACE 0x14Bu
#define TPM_RC_NV_DEFINED 0x14Cu
#define TPM_RC_BAD_CONTEXT 0x150u
#define TPM_RC_NEEDS_TEST 0x153u
/* TPM_RC: format-one (TPM_RC_FMT1 = 0x080); add TPM_RC_P/H/S and the number (TPM_RC_1 = 0x100). */
#define TPM_RC_ASYMMETRIC 0x081u
#define TPM_RC_ATTRIBUTES 0x082u
#define TPM_RC_HASH 0x083u
#define TPM_RC_VALUE 0x084u
#define TPM_RC_HIERARCHY 0x085u
#define TPM_RC_KEY_SIZE 0x087u
#define TPM_RC_MODE 0x089u
#define TPM_RC_TYPE 0x08Au
#define TPM_RC_HANDLE 0x08Bu
#define TPM_RC_RANGE 0x08Du
#define TPM_RC_AUTH_FAIL 0x08Eu
#define TPM_RC_NONCE 0x08Fu
#define TPM_RC_SCHEME 0x092u
#define TPM_RC_SIZE 0x095u
#define TPM_RC_SYMMETRIC 0x096u
#define TPM_RC_TAG 0x097u
#define TPM_RC_SELECTOR 0x098u
#define TPM_RC_INSUFFICIENT 0x09Au
#define TPM_RC_INTEGRITY 0x09Fu
#define TPM_RC_BAD_AUTH 0x0A2u
#define TPM_RC_KEY 0x09Cu
#define TPM_RC_BINDING 0x0A5u
#define TPM_RC_KDF 0x08Cu
#define TPM_RC_SIGNATURE 0x09Bu
#define TPM_RC_TICKET 0x0A0u
#define TPM_RC_RESERVED_BITS 0x0A1u
#define TPM_RC_CURVE 0x0A6u
#define TPM_RC_ECC_POINT 0x0A7u
#define TPM_RC_H 0x000u
#define TPM_RC_P 0x040u
#define TPM_RC_S 0x800u
/* TPM_RC: warnings (TPM_RC_WARN = 0x900) */
#define TPM_RC_CONTEXT_GAP 0x901u
#define TPM_RC_OBJECT_MEMORY 0x902u
#define TPM_RC_SESSION_MEMORY 0x903u
#define TPM_RC_SESSION_HANDLES 0x905u
#define TPM_RC_OBJECT_HANDLES 0x906u
#define TPM_RC_LOCALITY 0x907u
#define TPM_RC_TESTING 0x90Au
#define TPM_RC_REFERENCE_H0 0x910u
#define TPM_RC_REFERENCE_S0 0x918u
#define TPM_RC_LOCKOUT 0x921u

#define RC_H(rc, n) ((rc) | TPM_RC_H | ((uint32_t)(n) << 8))
#define RC_P(rc, n) ((rc) | TPM_RC_P | ((uint32_t)(n) << 8))
#define RC_S(rc, n) ((rc) | TPM_RC_S | ((uint32_t)(n) << 8))

/* TPM_ALG_ID */
#define TPM_ALG_ERROR 0x0000u
#define TPM_ALG_RSA 0x0001u
#define TPM_ALG_SHA1 0x0004u
#define TPM_ALG_HMAC 0x0005u
#define TPM_ALG_AES 0x0006u
#define TPM_ALG_KEYEDHASH 0x0008u
#define TPM_ALG_XOR 0x000Au
#define TPM_ALG_SHA256 0x000Bu
#define TPM_ALG_SHA384 0x000Cu
#define TPM_ALG_SHA512 0x000Du
#define TPM_ALG_NULL 0x0010u
#define TPM_ALG_RSASSA 0x0014u
#define TPM_ALG_RSAES 0x0015u
#define TPM_ALG_RSAPSS 0x0016u
#define TPM_ALG_OAEP 0x0017u
#define TPM_ALG_ECDSA 0x0018u
#define TPM_ALG_ECDH 0x0019u
#define TPM_ALG_KDF1_SP800_108 0x0022u
#define TPM_ALG_ECC 0x0023u
#define TPM_ALG_SYMCIPHER 0x0025u
#define TPM_ALG_CTR 0x0040u
#define TPM_ALG_OFB 0x0041u
#define TPM_ALG_CBC 0x0042u
#define TPM_ALG_CFB 0x0043u
#define TPM_ALG_ECB 0x0044u

/* TPMA_ALGORITHM */
#define TPMA_ALGORITHM_ASYMMETRIC (1u << 0)
#define TPMA_ALGORITHM_SYMMETRIC (1u << 1)
#define TPMA_ALGORITHM_HASH (1u << 2)
#define TPMA_ALGORITHM_OBJECT (1u << 3)
#define TPMA_ALGORITHM_SIGNING (1u << 8)
#define TPMA_ALGORITHM_ENCRYPTING (1u << 9)
#define TPMA_ALGORITHM_METHOD (1u << 10)

/* TPM_RH / TPM_HT */
#define TPM_RH_OWNER 0x40000001u
#define TPM_RS_PW 0x40000009u
#define TPM_RH_LOCKOUT 0x4000000Au
#define TPM_RH_ENDORSEMENT 0x4000000Bu
#define TPM_RH_PLATFORM 0x4000000Cu
#define TPM_RH_PLATFORM_NV 0x4000000Du
#define TPM_RH_NULL 0x40000007u
#define TPM_HT_PCR 0x00u
#define TPM_HT_NV_INDEX 0x01u
#define TPM_HT_HMAC_SESSION 0x02u
#define TPM_HT_POLICY_SESSION 0x03u
#define TPM_HT_PERMANENT 0x40u
#define TPM_HT_TRANSIENT 0x80u
#define TPM_HT_PERSISTENT 0x81u
#define HR_PCR 0x00000000u
#define HR_NV_INDEX 0x01000000u
#define HR_HMAC_SESSION 0x02000000u
#define HR_POLICY_SESSION 0x03000000u
#define HR_PERMANENT 0x40000000u
#define HR_TRANSIENT 0x80000000u
#define HR_PERSISTENT 0x81000000u

/* TPMA_SESSION */
#define TPMA_SESSION_CONTINUESESSION 0x01u
#define TPMA_SESSION_AUDITEXCLUSIVE 0x02u
#define TPMA_SESSION_AUDITRESET 0x04u
#define TPMA_SESSION_DECRYPT 0x20u
#define TPMA_SESSION_ENCRYPT 0x40u
#define TPMA_SESSION_AUDIT 0x80u

/* TPMA_OBJECT (Part 2, 8.3) */
#define TPMA_OBJECT_FIXEDTPM (1u << 1)
#define TPMA_OBJECT_STCLEAR (1u << 2)
#define TPMA_OBJECT_FIXEDPARENT (1u << 4)
#define TPMA_OBJECT_SENSITIVEDATAORIGIN (1u << 5)
#define TPMA_OBJECT_USERWITHAUTH (1u << 6)
#define TPMA_OBJECT_ADMINWITHPOLICY (1u << 7)
#define TPMA_OBJECT_NODA (1u << 10)
#define TPMA_OBJECT_RESTRICTED (1u << 16)
#define TPMA_OBJECT_DECRYPT (1u << 17)
#define TPMA_OBJECT_SIGN (1u << 18)
#define TPMA_OBJECT_X509SIGN (1u << 19)
#define TPMA_OBJECT_ENCRYPTEDDUPLICATION (1u << 11)
#define TPMA_OBJECT_RESERVED 0xFFF0F309u /* bits 0, 3, 8, 9, 12-15, 20-31 */
/* TPM_ECC_CURVE, TPM_ST for attestation and tickets, TPM_GENERATED (Part 2, 6.4, 6.9, 6.2) */
#define TPM_ECC_NIST_P256 0x0003u
#define TPM_ECC_NIST_P384 0x0004u
#define TPM_GENERATED_VALUE 0xFF544347u
#define TPM_ST_ATTEST_QUOTE 0x8018u
#define TPM_ST_CREATION 0x8021u
#define TPM_ST_VERIFIED 0x8022u
#define TPM_ST_HASHCHECK 0x8024u

/* TPMA_NV */
#define TPMA_NV_PPWRITE (1u << 0)
#define TPMA_NV_OWNERWRITE (1u << 1)
#define TPMA_NV_AUTHWRITE (1u << 2)
#define TPMA_NV_POLICYWRITE (1u << 3)
#define TPMA_NV_TPM_NT_SHIFT 4
#define TPMA_NV_TPM_NT_MASK (0xFu << 4)
#define TPM_NT_ORDINARY 0x0u
#define TPM_NT_COUNTER 0x1u
#define TPM_NT_BITS 0x2u
#define TPM_NT_EXTEND 0x4u
#define TPM_NT_PIN_FAIL 0x8u
#define TPM_NT_PIN_PASS 0x9u
#define TPMA_NV_POLICY_DELETE (1u << 10)
#define TPMA_NV_WRITELOCKED (1u << 11)
#define TPMA_NV_WRITEALL (1u << 12)
#define TPMA_NV_WRITEDEFINE (1u << 13)
#define TPMA_NV_WRITE_STCLEAR (1u << 14)
#define TPMA_NV_GLOBALLOCK (1u << 15)
#define TPMA_NV_PPREAD (1u << 16)
#define TPMA_NV_OWNERREAD (1u << 17)
#define TPMA_NV_AUTHREAD (1u << 18)
#define TPMA_NV_POLICYREAD (1u << 19)
#define TPMA_NV_NO_DA (1u << 25)
#define TPMA_NV_ORDERLY (1u << 26)
#define TPMA_NV_CLEAR_STCLEAR (1u << 27)
#define TPMA_NV_READLOCKED (1u << 28)
#define TPMA_NV_WRITTEN (1u << 29)
#define TPMA_NV_PLATFORMCREATE (1u << 30)
#define TPMA_NV_READ_STCLEAR (1u << 31)

/* TPMA_CC */
#define TPMA_CC_NV (1u << 22)
#define TPMA_CC_EXTENSIVE (1u << 23)
#define TPMA_CC_FLUSHED (1u << 24)
#define TPMA_CC_CHANDLES_SHIFT 25
#define TPMA_CC_RHANDLE (1u << 28)

/* TPM_CAP */
#define TPM_CAP_ALGS 0x00u
#define TPM_CAP_HANDLES 0x01u
#define TPM_CAP_COMMANDS 0x02u
#define TPM_CAP_PP_COMMANDS 0x03u
#define TPM_CAP_AUDIT_COMMANDS 0x04u
#define TPM_CAP_PCRS 0x05u
#define TPM_CAP_TPM_PROPERTIES 0x06u
#define TPM_CAP_PCR_PROPERTIES 0x07u
#define TPM_CAP_ECC_CURVES 0x08u
#define TPM_CAP_LAST 0x08u

/* TPM_PT */
#define TPM_PT_FIXED 0x100u
#define TPM_PT_FAMILY_INDICATOR 0x100u
#define TPM_PT_LEVEL 0x101u
#define TPM_PT_REVISION 0x102u
#define TPM_PT_DAY_OF_YEAR 0x103u
#define TPM_PT_YEAR 0x104u
#define TPM_PT_MANUFACTURER 0x105u
#define TPM_PT_VENDOR_STRING_1 0x106u
#define TPM_PT_VENDOR_STRING_2 0x107u
#define TPM_PT_VENDOR_STRING_3 0x108u
#define TPM_PT_VENDOR_STRING_4 0x109u
#define TPM_PT_VENDOR_TPM_TYPE 0x10Au
#define TPM_PT_FIRMWARE_VERSION_1 0x10Bu
#define TPM_PT_FIRMWARE_VERSION_2 0x10Cu
#define TPM_PT_INPUT_BUFFER 0x10Du
#define TPM_PT_HR_TRANSIENT_MIN 0x10Eu
#define TPM_PT_HR_PERSISTENT_MIN 0x10Fu
#define TPM_PT_HR_LOADED_MIN 0x110u
#define TPM_PT_ACTIVE_SESSIONS_MAX 0x111u
#define TPM_PT_PCR_COUNT 0x112u
#define TPM_PT_PCR_SELECT_MIN 0x113u
#define TPM_PT_CONTEXT_GAP_MAX 0x114u
#define TPM_PT_NV_COUNTERS_MAX 0x116u
#define TPM_PT_NV_INDEX_MAX 0x117u
#define TPM_PT_MEMORY 0x118u
#define TPM_PT_CLOCK_UPDATE 0x119u
#define TPM_PT_CONTEXT_HASH 0x11Au
#define TPM_PT_CONTEXT_SYM 0x11Bu
#define TPM_PT_CONTEXT_SYM_SIZE 0x11Cu
#define TPM_PT_ORDERLY_COUNT 0x11Du
#define TPM_PT_MAX_COMMAND_SIZE 0x11Eu
#define TPM_PT_MAX_RESPONSE_SIZE 0x11Fu
#define TPM_PT_MAX_DIGEST 0x120u
#define TPM_PT_MAX_OBJECT_CONTEXT 0x121u
#define TPM_PT_MAX_SESSION_CONTEXT 0x122u
#define TPM_PT_PS_FAMILY_INDICATOR 0x123u
#define TPM_PT_PS_LEVEL 0x124u
#define TPM_PT_PS_REVISION 0x125u
#define TPM_PT_PS_DAY_OF_YEAR 0x126u
#define TPM_PT_PS_YEAR 0x127u
#define TPM_PT_SPLIT_MAX 0x128u
#define TPM_PT_TOTAL_COMMANDS 0x129u
#define TPM_PT_LIBRARY_COMMANDS 0x12Au
#define TPM_PT_VENDOR_COMMANDS 0x12Bu
#define TPM_PT_NV_BUFFER_MAX 0x12Cu
#define TPM_PT_MODES 0x12Du
#define TPM_PT_MAX_CAP_BUFFER 0x12Eu
#define TPM_PT_VAR 0x200u
#define TPM_PT_PERMANENT 0x200u
#define TPM_PT_STARTUP_CLEAR 0x201u
#define TPM_PT_HR_NV_INDEX 0x202u
#define TPM_PT_HR_LOADED 0x203u
#define TPM_PT_HR_LOADED_AVAIL 0x204u
#define TPM_PT_HR_ACTIVE 0x205u
#define TPM_PT_HR_ACTIVE_AVAIL 0x206u
#define TPM_PT_HR_TRANSIENT_AVAIL 0x207u
#define TPM_PT_HR_PERSISTENT 0x208u
#define TPM_PT_HR_PERSISTENT_AVAIL 0x209u
#define TPM_PT_NV_COUNTERS 0x20Au
#define TPM_PT_NV_COUNTERS_AVAIL 0x20Bu
#define TPM_PT_ALGORITHM_SET 0x20Cu
#define TPM_PT_LOADED_CURVES 0x20Du
#define TPM_PT_LOCKOUT_COUNTER 0x20Eu
#define TPM_PT_MAX_AUTH_FAIL 0x20Fu
#define TPM_PT_LOCKOUT_INTERVAL 0x210u
#define TPM_PT_LOCKOUT_RECOVERY 0x211u
#define TPM_PT_NV_WRITE_RECOVERY 0x212u
#define TPM_PT_AUDIT_COUNTER_0 0x213u
#define TPM_PT_AUDIT_COUNTER_1 0x214u
#define TPM_PT_LAST 0x214u

/* TPM_PT_PCR */
#define TPM_PT_PCR_SAVE 0x00u
#define TPM_PT_PCR_EXTEND_L0 0x01u
#define TPM_PT_PCR_RESET_L0 0x02u
#define TPM_PT_PCR_EXTEND_L4 0x09u
#define TPM_PT_PCR_RESET_L4 0x0Au
#define TPM_PT_PCR_NO_INCREMENT 0x11u
#define TPM_PT_PCR_DRTM_RESET 0x12u
#define TPM_PT_PCR_POLICY 0x13u
#define TPM_PT_PCR_AUTH 0x14u
#define TPM_PT_PCR_LAST 0x14u

/* TPM_CC */
#define TPM_CC_FIRST 0x0000011Fu
#define TPM_CC_HierarchyControl 0x121u
#define TPM_CC_NV_UndefineSpace 0x122u
#define TPM_CC_Clear 0x126u
#define TPM_CC_ClearControl 0x127u
#define TPM_CC_ClockSet 0x128u
#define TPM_CC_HierarchyChangeAuth 0x129u
#define TPM_CC_NV_DefineSpace 0x12Au
#define TPM_CC_PCR_Allocate 0x12Bu
#define TPM_CC_CreatePrimary 0x131u
#define TPM_CC_NV_Increment 0x134u
#define TPM_CC_NV_SetBits 0x135u
#define TPM_CC_NV_Extend 0x136u
#define TPM_CC_NV_Write 0x137u
#define TPM_CC_NV_WriteLock 0x138u
#define TPM_CC_DictionaryAttackLockReset 0x139u
#define TPM_CC_DictionaryAttackParameters 0x13Au
#define TPM_CC_PCR_Event 0x13Cu
#define TPM_CC_PCR_Reset 0x13Du
#define TPM_CC_SequenceComplete 0x13Eu
#define TPM_CC_IncrementalSelfTest 0x142u
#define TPM_CC_SelfTest 0x143u
#define TPM_CC_Startup 0x144u
#define TPM_CC_Shutdown 0x145u
#define TPM_CC_StirRandom 0x146u
#define TPM_CC_NV_Read 0x14Eu
#define TPM_CC_NV_ReadLock 0x14Fu
#define TPM_CC_HMAC_Start 0x15Bu
#define TPM_CC_SequenceUpdate 0x15Cu
#define TPM_CC_HMAC 0x155u
#define TPM_CC_Quote 0x158u
#define TPM_CC_Sign 0x15Du
#define TPM_CC_ContextLoad 0x161u
#define TPM_CC_ContextSave 0x162u
#define TPM_CC_FlushContext 0x165u
#define TPM_CC_LoadExternal 0x167u
#define TPM_CC_NV_ReadPublic 0x169u
#define TPM_CC_ReadPublic 0x173u
#define TPM_CC_StartAuthSession 0x176u
#define TPM_CC_VerifySignature 0x177u
#define TPM_CC_GetCapability 0x17Au
#define TPM_CC_GetRandom 0x17Bu
#define TPM_CC_GetTestResult 0x17Cu
#define TPM_CC_Hash 0x17Du
#define TPM_CC_PCR_Read 0x17Eu
#define TPM_CC_ReadClock 0x181u
#define TPM_CC_PCR_Extend 0x182u
#define TPM_CC_EventSequenceComplete 0x185u
#define TPM_CC_HashSequenceStart 0x186u
#define TPM_CC_TestParms 0x18Au
/* Objects and keys (issue 6, objects part) */
#define TPM_CC_EvictControl 0x120u
#define TPM_CC_ObjectChangeAuth 0x150u
#define TPM_CC_Create 0x153u
#define TPM_CC_ECDH_ZGen 0x154u
#define TPM_CC_Load 0x157u
#define TPM_CC_RSA_Decrypt 0x159u
#define TPM_CC_Unseal 0x15Eu
#define TPM_CC_ECDH_KeyGen 0x163u
#define TPM_CC_EncryptDecrypt 0x164u
#define TPM_CC_RSA_Encrypt 0x174u
#define TPM_CC_CreateLoaded 0x191u
/* ---- credentials, duplication (issue 6, credentials part; Part 2, 6.5.2) ---- */
#define TPM_CC_ActivateCredential 0x147u
#define TPM_CC_Import 0x156u
#define TPM_CC_MakeCredential 0x168u
#define TPM_RC_NO_RESULT 0x154u /* format-zero: the ephemeral key or OAEP padding failed */
/* ---- end of credentials ---- */
#define TPM_CC_EncryptDecrypt2 0x193u

/* ---- Enhanced authorization (policy sessions), Part 2 6.5.2 / 6.6 / 6.9 / 6.8 ---- */
#define TPM_RC_PCR_CHANGED 0x128u /* format zero */
#define TPM_RC_CPHASH 0x151u
#define TPM_RC_POLICY_FAIL 0x09Du /* format one */
#define TPM_RC_EXPIRED 0x0A3u
#define TPM_RC_POLICY_CC 0x0A4u
#define TPM_RC_PP 0x090u
#define TPM_ALG_RSASSA 0x0014u
#define TPM_ALG_RSAPSS 0x0016u
#define TPM_ST_AUTH_SECRET 0x8023u
#define TPM_ST_AUTH_SIGNED 0x8025u
/* TPM_EO (Part 2, 6.8): PolicyNV / PolicyCounterTimer comparisons */
#define TPM_EO_EQ 0x0000u
#define TPM_EO_NEQ 0x0001u
#define TPM_EO_SIGNED_GT 0x0002u
#define TPM_EO_UNSIGNED_GT 0x0003u
#define TPM_EO_SIGNED_LT 0x0004u
#define TPM_EO_UNSIGNED_LT 0x0005u
#define TPM_EO_SIGNED_GE 0x0006u
#define TPM_EO_UNSIGNED_GE 0x0007u
#define TPM_EO_SIGNED_LE 0x0008u
#define TPM_EO_UNSIGNED_LE 0x0009u
#define TPM_EO_BITSET 0x000Au
#define TPM_EO_BITCLEAR 0x000Bu
#define TPM_CC_PolicyNV 0x149u
#define TPM_CC_PolicySecret 0x151u
#define TPM_CC_PolicySigned 0x160u
#define TPM_CC_PolicyAuthorize 0x16Au
#define TPM_CC_PolicyAuthValue 0x16Bu
#define TPM_CC_PolicyCommandCode 0x16Cu
#define TPM_CC_PolicyCounterTimer 0x16Du
#define TPM_CC_PolicyCpHash 0x16Eu
#define TPM_CC_PolicyLocality 0x16Fu
#define TPM_CC_PolicyNameHash 0x170u
#define TPM_CC_PolicyOR 0x171u
#define TPM_CC_PolicyTicket 0x172u
#define TPM_CC_PolicyPCR 0x17Fu
#define TPM_CC_PolicyRestart 0x180u
#define TPM_CC_PolicyPhysicalPresence 0x187u
#define TPM_CC_PolicyDuplicationSelect 0x188u
#define TPM_CC_PolicyGetDigest 0x189u
#define TPM_CC_PolicyPassword 0x18Cu
#define TPM_CC_PolicyNvWritten 0x18Fu
#define TPM_CC_PolicyTemplate 0x190u
#define TPM_CC_PolicyAuthorizeNV 0x192u
/* commands whose handles have the ADMIN or DUP role, or whose template PolicyTemplate checks */
#define TPM_CC_Duplicate 0x14Bu
#define TPM_CC_Create 0x153u
#define TPM_CC_CreateLoaded 0x191u

/* ---- attestation and ECDH (issue 6, attest part; Part 2, 6.9 TPM_ST, 6.5.2 TPM_CC, 6.6.3 TPM_RC) ---- */
#define TPM_ST_ATTEST_NV 0x8014u
#define TPM_ST_ATTEST_CERTIFY 0x8017u
#define TPM_ST_ATTEST_TIME 0x8019u
#define TPM_ST_ATTEST_CREATION 0x801Au
#define TPM_ST_ATTEST_NV_DIGEST 0x801Cu
#define TPM_CC_Certify 0x148u
#define TPM_CC_CertifyCreation 0x14Au
#define TPM_CC_GetTime 0x14Cu
#define TPM_CC_NV_Certify 0x184u
#define TPM_RC_NO_RESULT 0x154u /* RC_VER1 + 0x054 */
#define TPM_RC_EXCLUSIVE 0x121u /* RC_VER1 + 0x021 */
#define TPM_ST_ATTEST_SESSION_AUDIT 0x8016u
#define TPM_CC_GetSessionAuditDigest 0x14Du
/* ---- end of the attest block ---- */

#endif
