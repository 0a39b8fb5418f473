/**
 * The build script of a self-provisioned ostree image, run on a build host by
 * `@pulumi/command`: write the treefile and its .repo files, make sure the ostree repository
 * exists, compose (`rpm-ostree compose tree --unified-core --cachedir=… --repo=… <treefile>`,
 * Immutable infrastructure article: Immutable infrastructure: container-optimized and immutable host operating systems), and report the ref and the commit it now points at on two marker lines that
 * parseBuildOutput reads back.
 *
 * Each step is its own function so the ostree steps can be run for real in tests (Debian's
 * `ostree`); the compose step needs rpm-ostree and RPM repositories, which only a build host has.
 */

export interface OstreeBuildPaths {
  /** Where the treefile and .repo files are written. */
  workdir: string;
  /** The ostree repository (archive mode, servable over HTTP to the nodes). */
  repo: string;
  /** rpm-ostree's package cache. */
  cachedir: string;
}

/** Default layout on the build host: `/var/lib/platform/ostree/<name>/{build,repo,cache}`. */
export function defaultBuildPaths(name: string): OstreeBuildPaths {
  const root = `/var/lib/platform/ostree/${name}`;
  return { workdir: `${root}/build`, repo: `${root}/repo`, cachedir: `${root}/cache` };
}

/** Quote a word for POSIX sh: single quotes, with `'` written as `'\''`. */
export function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Write files (name → content) into `dir`, through base64 so no content can break the script. */
export function writeFilesStep(dir: string, files: Readonly<Record<string, string>>): string {
  const lines = [`mkdir -p ${shellQuote(dir)}`];
  for (const name of Object.keys(files).sort()) {
    if (name.includes("/") || name === "" || name === "." || name === "..") {
      throw new Error(`writeFilesStep: "${name}" is not a plain file name`);
    }
    const b64 = Buffer.from(files[name] as string, "utf8").toString("base64");
    lines.push(`printf '%s' ${shellQuote(b64)} | base64 -d > ${shellQuote(`${dir}/${name}`)}`);
  }
  return lines.join("\n");
}

/** Create the ostree repository (archive mode) unless it exists. */
export function ostreeInitStep(repo: string): string {
  const q = shellQuote(repo);
  return `if [ ! -f ${shellQuote(`${repo}/config`)} ]; then mkdir -p ${q} && ostree --repo=${q} init --mode=archive; fi`;
}

/** Compose the treefile into the repository (Immutable infrastructure article: Immutable infrastructure: container-optimized and immutable host operating systems). */
export function composeStep(paths: OstreeBuildPaths, treefileName = "treefile.yaml"): string {
  return [
    `mkdir -p ${shellQuote(paths.cachedir)}`,
    [
      "rpm-ostree compose tree --unified-core",
      `--cachedir=${shellQuote(paths.cachedir)}`,
      `--repo=${shellQuote(paths.repo)}`,
      shellQuote(`${paths.workdir}/${treefileName}`),
      // rpm-ostree's progress goes to stderr: stdout carries only the report's marker lines.
      ">&2",
    ].join(" "),
  ].join("\n");
}

export const REF_MARKER = "ostree-ref=";
export const COMMIT_MARKER = "ostree-commit=";

/** Print the ref and the commit it points at, one marker line each. */
export function reportStep(repo: string, ref: string): string {
  return [
    `printf '${REF_MARKER}%s\\n' ${shellQuote(ref)}`,
    `printf '${COMMIT_MARKER}%s\\n' "$(ostree --repo=${shellQuote(repo)} rev-parse ${shellQuote(ref)})"`,
  ].join("\n");
}

/** Where the build host uploads the disk itself (a remote build host: the disk never leaves the cloud). */
export interface DiskUpload {
  cloud: "alicloud" | "aws";
  bucket: string;
  key: string;
}

/**
 * Upload from the build host with the cloud's own CLI and the host's own credentials (an ECS
 * RAM role or an EC2 instance profile): `ossutil cp` (OSS docs: ossutil cp) or `aws s3 cp`
 * (AWS CLI reference: s3 cp).
 */
export function uploadStep(path: string, upload: DiskUpload): string {
  return upload.cloud === "alicloud"
    ? `ossutil cp -f ${shellQuote(path)} ${shellQuote(`oss://${upload.bucket}/${upload.key}`)} >&2`
    : `aws s3 cp --only-show-errors ${shellQuote(path)} ${shellQuote(`s3://${upload.bucket}/${upload.key}`)} >&2`;
}

export interface BuildScriptInput {
  paths: OstreeBuildPaths;
  /** The build context: treefile.yaml and the .repo files (treefileContext). */
  files: Readonly<Record<string, string>>;
  ref: string;
  /** After the commit: write the bootable disk (diskImage.ts). Default: no disk. */
  disk?: string;
  /** After the disk: upload it from the build host. Default: no upload here. */
  upload?: { path: string; to: DiskUpload };
}

/** The whole script: fail on the first error, then write, init, compose, report, and the disk steps. */
export function buildScript(input: BuildScriptInput): string {
  return [
    "#!/bin/sh",
    "set -eu",
    writeFilesStep(input.paths.workdir, input.files),
    ostreeInitStep(input.paths.repo),
    composeStep(input.paths),
    reportStep(input.paths.repo, input.ref),
    ...(input.disk !== undefined ? [input.disk] : []),
    ...(input.upload ? [uploadStep(input.upload.path, input.upload.to)] : []),
    "",
  ].join("\n");
}

export interface BuildOutput {
  ref: string;
  /** The ostree commit checksum (SHA-256, 64 hex characters). */
  commit: string;
}

/**
 * Read the ref and commit from the script's stdout (the last marker lines win: rpm-ostree prints
 * its own progress first). Throws naming what is missing, with the tail of the output.
 */
export function parseBuildOutput(stdout: string): BuildOutput {
  let ref: string | undefined;
  let commit: string | undefined;
  for (const line of stdout.split(/\r?\n/)) {
    if (line.startsWith(REF_MARKER)) ref = line.slice(REF_MARKER.length).trim();
    if (line.startsWith(COMMIT_MARKER)) commit = line.slice(COMMIT_MARKER.length).trim();
  }
  const tail = stdout.trim().split(/\r?\n/).slice(-5).join(" | ");
  if (!ref)
    throw new Error(`ostree build output has no "${REF_MARKER}" line (last lines: ${tail || "none"})`);
  if (!commit || !/^[0-9a-f]{64}$/.test(commit)) {
    throw new Error(
      `ostree build output has no "${COMMIT_MARKER}<64 hex>" line for ref ${ref} (got ${commit === undefined ? "none" : `"${commit}"`})`,
    );
  }
  return { ref, commit };
}
