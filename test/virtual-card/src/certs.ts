/**
 * A test certification authority that follows the JPKI certificate profile
 * (docs/card-reference.md, "Certificates"): RSA-2048 and
 * sha256WithRSAEncryption; the authentication certificate carries only an
 * opaque CN and C=JP; the signature certificate carries the holder's (fake)
 * personal data as otherName entries. Issuer names are shaped like J-LIS's
 * but say TEST, so nobody can mistake them for the real thing.
 *
 * Keys are generated on first use by Node's crypto and cached (mode 0600) so
 * that a test run does not spend seconds on RSA key generation. Certificates
 * are signed fresh for each profile, with dates relative to "now".
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  webcrypto,
} from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";

const subtle = webcrypto.subtle as unknown as SubtleCrypto;
pkijs.setEngine("node", new pkijs.CryptoEngine({ name: "node", crypto: webcrypto as unknown as Crypto, subtle }));

export const OID = {
  C: "2.5.4.6",
  O: "2.5.4.10",
  OU: "2.5.4.11",
  CN: "2.5.4.3",
  L: "2.5.4.7",
  ST: "2.5.4.8",
  keyUsage: "2.5.29.15",
  basicConstraints: "2.5.29.19",
  subjectAltName: "2.5.29.17",
  crlDistributionPoints: "2.5.29.31",
  certificatePolicies: "2.5.29.32",
  subjectKeyIdentifier: "2.5.29.14",
  authorityKeyIdentifier: "2.5.29.35",
  extKeyUsage: "2.5.29.37",
  /** JPKI personal-data otherName entries in the signature certificate. */
  jpkiName: "1.2.392.200149.8.5.5.1",
  jpkiNameSubstitute: "1.2.392.200149.8.5.5.2",
  jpkiGender: "1.2.392.200149.8.5.5.3",
  jpkiBirthDate: "1.2.392.200149.8.5.5.4",
  jpkiAddress: "1.2.392.200149.8.5.5.5",
  jpkiAddressSubstitute: "1.2.392.200149.8.5.5.6",
  /** Test-only policy arc (the 2.999 example arc): never a real JPKI policy. */
  testPolicyAuth: "2.999.392.1.1",
  testPolicySign: "2.999.392.1.2",
} as const;

export type KeyName =
  | "auth-ca"
  | "sign-ca"
  | "auth-user"
  | "sign-user"
  | "other-ca"
  /** ECDSA P-384 keys: the announced next-generation card. */
  | "auth-ca-ec"
  | "sign-ca-ec"
  | "auth-user-ec"
  | "sign-user-ec";

/** RSA-2048 as on today's cards, or ECDSA P-384 as announced for the next-generation card. */
export type KeyType = "rsa" | "ec-p384";

const isEc = (name: KeyName) => name.endsWith("-ec");

export interface TestKey {
  privateKey: CryptoKey;
  spki: Uint8Array;
}

const KEY_CACHE_VERSION = "v1";

function keyDir(): string {
  return process.env.JPKI_GUARD_TEST_KEY_DIR ?? join(tmpdir(), `jpki-guard-test-keys-${KEY_CACHE_VERSION}`);
}

const keyMemo = new Map<KeyName, Promise<TestKey>>();

/** An RSA-2048 (e=65537) or (names ending in -ec) ECDSA P-384 test key, generated once and cached on disk. */
export function testKey(name: KeyName): Promise<TestKey> {
  let p = keyMemo.get(name);
  if (!p) {
    p = loadOrCreateKey(name);
    keyMemo.set(name, p);
  }
  return p;
}

async function loadOrCreateKey(name: KeyName): Promise<TestKey> {
  const dir = keyDir();
  const file = join(dir, `${name}.pem`);
  let key: KeyObject;
  if (existsSync(file)) {
    key = createPrivateKey(readFileSync(file, "utf8"));
  } else {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const pair = isEc(name)
      ? generateKeyPairSync("ec", { namedCurve: "P-384" })
      : generateKeyPairSync("rsa", { modulusLength: 2048, publicExponent: 65537 });
    key = pair.privateKey;
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, key.export({ type: "pkcs8", format: "pem" }), { mode: 0o600 });
    renameSync(tmp, file); // atomic: parallel test workers never see half a key
  }
  const pkcs8 = key.export({ type: "pkcs8", format: "der" });
  const spki = createPublicKeyDer(key);
  const privateKey = await subtle.importKey(
    "pkcs8",
    toArrayBuffer(pkcs8),
    isEc(name) ? { name: "ECDSA", namedCurve: "P-384" } : { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
    false,
    ["sign"],
  );
  return { privateKey, spki };
}

function createPublicKeyDer(key: KeyObject): Uint8Array {
  return new Uint8Array(createPublicKey(key).export({ type: "spki", format: "der" }));
}

export type Rdn = [oid: string, value: string][];

function rdns(entries: Rdn): pkijs.RelativeDistinguishedNames {
  return new pkijs.RelativeDistinguishedNames({
    typesAndValues: entries.map(
      ([type, value]) =>
        new pkijs.AttributeTypeAndValue({
          type,
          value: type === OID.C ? new asn1js.PrintableString({ value }) : new asn1js.Utf8String({ value }),
        }),
    ),
  });
}

export const TEST_CA_NAMES = {
  auth: [
    [OID.C, "JP"],
    [OID.O, "JPKI TEST"],
    [OID.OU, "JPKI for user authentication TEST"],
    [OID.OU, "Japan Agency for Local Authority Information Systems TEST"],
  ] as Rdn,
  sign: [
    [OID.C, "JP"],
    [OID.O, "JPKI TEST"],
    [OID.OU, "JPKI for digital signature TEST"],
    [OID.OU, "Japan Agency for Local Authority Information Systems TEST"],
  ] as Rdn,
  other: [
    [OID.C, "JP"],
    [OID.O, "Not JPKI"],
    [OID.OU, "Look-alike CA for tests"],
  ] as Rdn,
};

export interface PersonalData {
  name: string;
  gender: "1" | "2" | "3";
  birthDate: string; // YYYYMMDD
  address: string;
}

export const FAKE_PERSON: PersonalData = {
  name: "試験 花子",
  gender: "2",
  birthDate: "19900101",
  address: "神奈川県平塚市浅間町9番1号 試験用",
};

export interface CertOptions {
  kind: "auth" | "sign";
  notBefore: Date;
  notAfter: Date;
  /** Which CA signs: the JPKI-shaped test CA (default) or a look-alike that does not chain. */
  issuer?: "test" | "other";
  serial?: number;
  person?: PersonalData;
  /** RSA-2048 (default) or ECDSA P-384; the issuing test CA has the same key type. */
  keyType?: KeyType;
}

function sha1(b: Uint8Array): Uint8Array {
  return new Uint8Array(createHash("sha1").update(b).digest());
}

function spkiBits(spki: Uint8Array): Uint8Array {
  const info = pkijs.PublicKeyInfo.fromBER(toArrayBuffer(spki));
  return new Uint8Array(info.subjectPublicKey.valueBlock.valueHexView);
}

function ext(extnID: string, critical: boolean, value: asn1js.BaseBlock): pkijs.Extension {
  return new pkijs.Extension({ extnID, critical, extnValue: value.toBER(false) });
}

function keyUsage(bits: number): asn1js.BitString {
  // bits: MSB-first flags in one byte (digitalSignature = 0x80, nonRepudiation = 0x40, keyCertSign = 0x04, cRLSign = 0x02)
  let unused = 0;
  while (unused < 7 && ((bits >> unused) & 1) === 0) unused++;
  return new asn1js.BitString({ valueHex: Uint8Array.of(bits).buffer, unusedBits: unused });
}

function dirNameDp(name: Rdn): asn1js.Sequence {
  // CRLDistributionPoints ::= SEQUENCE OF DistributionPoint; fullName [0] { directoryName [4] Name }
  return new asn1js.Sequence({
    value: [
      new asn1js.Sequence({
        value: [
          new asn1js.Constructed({
            idBlock: { tagClass: 3, tagNumber: 0 },
            value: [
              new asn1js.Constructed({
                idBlock: { tagClass: 3, tagNumber: 0 },
                value: [
                  new asn1js.Constructed({
                    idBlock: { tagClass: 3, tagNumber: 4 },
                    value: [rdns(name).toSchema()],
                  }),
                ],
              }),
            ],
          }),
        ],
      }),
    ],
  });
}

function otherName(oid: string, value: asn1js.BaseBlock): asn1js.Constructed {
  return new asn1js.Constructed({
    idBlock: { tagClass: 3, tagNumber: 0 },
    value: [
      new asn1js.ObjectIdentifier({ value: oid }),
      new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 0 }, value: [value] }),
    ],
  });
}

function personalDataSan(p: PersonalData): asn1js.Sequence {
  return new asn1js.Sequence({
    value: [
      otherName(OID.jpkiName, new asn1js.Utf8String({ value: p.name })),
      otherName(OID.jpkiGender, new asn1js.PrintableString({ value: p.gender })),
      otherName(OID.jpkiBirthDate, new asn1js.PrintableString({ value: p.birthDate })),
      otherName(OID.jpkiAddress, new asn1js.Utf8String({ value: p.address })),
    ],
  });
}

function policies(oid: string): asn1js.Sequence {
  return new asn1js.Sequence({
    value: [new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: oid })] })],
  });
}

function integerFrom(n: number): asn1js.Integer {
  return new asn1js.Integer({ value: n });
}

async function sign(cert: pkijs.Certificate, key: CryptoKey): Promise<Uint8Array> {
  // sha256WithRSAEncryption today; ecdsa-with-SHA384 for P-384 keys (the announced next generation).
  await cert.sign(key, key.algorithm.name === "ECDSA" ? "SHA-384" : "SHA-256");
  return new Uint8Array(cert.toSchema(true).toBER(false));
}

const CA_NOT_BEFORE = new Date("2023-07-01T00:00:00Z");
const CA_NOT_AFTER = new Date("2043-07-15T14:59:59Z");

const caMemo = new Map<string, Promise<Uint8Array>>();

/** The self-signed test CA certificate for "auth", "sign" or the look-alike "other"; RSA unless asked for EC. */
export function caCertificate(which: "auth" | "sign" | "other", keyType: KeyType = "rsa"): Promise<Uint8Array> {
  const memo = `${which}:${keyType}`;
  let p = caMemo.get(memo);
  if (!p) {
    p = makeCa(which, keyType);
    caMemo.set(memo, p);
  }
  return p;
}

function caKeyName(which: "auth" | "sign" | "other", keyType: KeyType): KeyName {
  if (which === "other") return "other-ca";
  return keyType === "ec-p384" ? (`${which}-ca-ec` as const) : (`${which}-ca` as const);
}

async function makeCa(which: "auth" | "sign" | "other", keyType: KeyType): Promise<Uint8Array> {
  const key = await testKey(caKeyName(which, keyType));
  const name = TEST_CA_NAMES[which];
  const cert = new pkijs.Certificate();
  cert.version = 2;
  cert.serialNumber = integerFrom(
    (which === "auth" ? 0x2301 : which === "sign" ? 0x2302 : 0x6601) + (keyType === "ec-p384" ? 0x10000 : 0),
  );
  cert.issuer = rdns(name);
  cert.subject = rdns(name);
  cert.notBefore.value = CA_NOT_BEFORE;
  cert.notAfter.value = CA_NOT_AFTER;
  cert.subjectPublicKeyInfo = pkijs.PublicKeyInfo.fromBER(toArrayBuffer(key.spki));
  const ski = sha1(spkiBits(key.spki));
  cert.extensions = [
    ext(OID.basicConstraints, true, new asn1js.Sequence({ value: [new asn1js.Boolean({ value: true })] })),
    ext(OID.keyUsage, true, keyUsage(0x06)),
    ext(OID.subjectKeyIdentifier, false, new asn1js.OctetString({ valueHex: ski.buffer as ArrayBuffer })),
  ];
  return sign(cert, key.privateKey);
}

/** A holder certificate shaped like a JPKI one. */
export async function holderCertificate(o: CertOptions): Promise<Uint8Array> {
  const issuerWhich = o.issuer === "other" ? "other" : o.kind;
  const keyType = o.keyType ?? "rsa";
  const caKey = await testKey(caKeyName(issuerWhich, keyType));
  const userKey = await testKey(
    keyType === "ec-p384" ? (`${o.kind}-user-ec` as const) : o.kind === "auth" ? "auth-user" : "sign-user",
  );
  const issuerName = TEST_CA_NAMES[issuerWhich];
  const serial = o.serial ?? 0x100000 + Math.floor(o.notAfter.getTime() / 86_400_000);
  const cert = new pkijs.Certificate();
  cert.version = 2;
  cert.serialNumber = integerFrom(serial);
  cert.issuer = rdns(issuerName);
  // The authentication certificate's CN is an opaque identifier; the
  // signature certificate's CN is too, with the municipality as locality.
  const cn = `TEST${o.kind === "auth" ? "A" : "S"}${serial.toString(16).toUpperCase().padStart(12, "0")}`;
  cert.subject =
    o.kind === "auth"
      ? rdns([
          [OID.C, "JP"],
          [OID.CN, cn],
        ])
      : rdns([
          [OID.C, "JP"],
          [OID.L, "Kanagawa-ken"],
          [OID.L, "Hiratsuka-shi"],
          [OID.CN, cn],
        ]);
  cert.notBefore.value = o.notBefore;
  cert.notAfter.value = o.notAfter;
  cert.subjectPublicKeyInfo = pkijs.PublicKeyInfo.fromBER(toArrayBuffer(userKey.spki));
  const caSki = sha1(spkiBits(caKey.spki));
  const extensions = [
    ext(OID.keyUsage, true, keyUsage(o.kind === "auth" ? 0x80 : 0xc0)),
    ext(OID.certificatePolicies, true, policies(o.kind === "auth" ? OID.testPolicyAuth : OID.testPolicySign)),
    ext(OID.crlDistributionPoints, false, dirNameDp([...issuerName, [OID.OU, "CRL Distribution Points TEST"]])),
    ext(
      OID.authorityKeyIdentifier,
      false,
      new asn1js.Sequence({
        value: [
          new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 0 }, valueHex: caSki.buffer as ArrayBuffer }),
        ],
      }),
    ),
    ext(
      OID.subjectKeyIdentifier,
      false,
      new asn1js.OctetString({ valueHex: sha1(spkiBits(userKey.spki)).buffer as ArrayBuffer }),
    ),
  ];
  if (o.kind === "sign") extensions.push(ext(OID.subjectAltName, false, personalDataSan(o.person ?? FAKE_PERSON)));
  cert.extensions = extensions;
  return sign(cert, caKey.privateKey);
}

/** DER or PEM (one CERTIFICATE block) to DER. */
export function certificateBytes(file: Uint8Array): Uint8Array {
  const text = Buffer.from(file).toString("latin1");
  const m = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/.exec(text);
  if (m) return new Uint8Array(Buffer.from(m[1]!.replace(/\s+/g, ""), "base64"));
  return file;
}

function toArrayBuffer(b: Uint8Array): ArrayBuffer {
  return b.slice().buffer as ArrayBuffer;
}
