// The release's CycloneDX 1.6 SBOM (jpki-guard-<v>.cdx.json), assembled and serialised with CycloneDX's
// own JavaScript library (@cyclonedx/cyclonedx-library, maintained by the OWASP CycloneDX project):
// every third-party component of every package with version, licence and the registry tarball's
// hash (sha512: pinned in scripts/lib/runtimes.mjs or pnpm-lock.yaml), which packages carry it,
// and every file each package installs under node_modules with its SHA-256.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Enums, Models, Serialize, Spec } from "@cyclonedx/cyclonedx-library";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "../..");

/** pnpm-lock.yaml's integrity per "name@version". */
function lockIntegrities() {
  const lock = readFileSync(join(ROOT, "pnpm-lock.yaml"), "utf8");
  const out = new Map();
  for (const m of lock.matchAll(
    /^ {2}'?((?:@[^@/\s]+\/)?[^@\s']+@[^\s':(]+)'?:\n {4}resolution: \{integrity: (sha512-[A-Za-z0-9+/=]+)\}/gm,
  ))
    out.set(m[1], m[2]);
  return out;
}

const hex = (integrity) => Buffer.from(integrity.replace(/^sha512-/, ""), "base64").toString("hex");
const purl = (name, version) => `pkg:npm/${name.startsWith("@") ? `%40${name.slice(1)}` : name}@${version}`;

/**
 * `carriers`: [{ label, components, files: [{ path, sha256, owner }] }], one per release file
 * (`owner` names the component a file belongs to). Returns the JSON text.
 */
export function sbom({ version, epoch, carriers }) {
  const locked = lockIntegrities();
  const bom = new Models.Bom();
  bom.metadata.timestamp = new Date(epoch * 1000);
  bom.metadata.component = new Models.Component(Enums.ComponentType.Application, "jpki-guard", {
    version,
    bomRef: "jpki-guard",
    description: "Checks a My Number card before Mynaportal login or e-Tax signing",
  });
  const byKey = new Map();
  for (const carrier of carriers) {
    for (const c of carrier.components) {
      const name = c.npmName ?? c.name;
      const key = `${name}@${c.version}`;
      if (!byKey.has(key)) {
        const integrity = c.integrity ?? locked.get(key);
        const comp = new Models.Component(Enums.ComponentType.Library, name, {
          version: c.version,
          bomRef: key,
          purl: purl(name, c.version),
          copyright: c.copyright.map((h) => `Copyright ${h}`).join("; ") || undefined,
          description: c.how,
        });
        comp.licenses.add(new Models.SpdxLicense(c.licence));
        if (integrity) comp.hashes.set(Enums.HashAlgorithm["SHA-512"], hex(integrity));
        byKey.set(key, { comp, carriers: new Set() });
      }
      byKey.get(key).carriers.add(carrier.label);
    }
    for (const f of carrier.files) {
      const owner = byKey.get(f.owner);
      if (!owner) throw new Error(`${carrier.label}: ${f.path} belongs to ${f.owner}, which is not a listed component`);
      const file = new Models.Component(Enums.ComponentType.File, f.path, { bomRef: `${carrier.label}:${f.path}` });
      file.hashes.set(Enums.HashAlgorithm["SHA-256"], f.sha256);
      file.properties.add(new Models.Property("jpki-guard:package", carrier.label));
      owner.comp.components.add(file);
    }
  }
  for (const { comp, carriers: cs } of byKey.values()) {
    for (const label of [...cs].sort()) comp.properties.add(new Models.Property("jpki-guard:package", label));
    bom.components.add(comp);
  }
  const serializer = new Serialize.JsonSerializer(new Serialize.JSON.Normalize.Factory(Spec.Spec1dot6));
  return `${serializer.serialize(bom, { sortLists: true, space: 2 })}\n`;
}

export const sha256 = (buf) => createHash("sha256").update(buf).digest("hex");
