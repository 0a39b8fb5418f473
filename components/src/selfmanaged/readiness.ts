/**
 * The readiness check `pulumi up` runs after each control-plane node, on either cloud: the next
 * node is replaced only once this one serves again.
 */
import { shellQuote } from "../nodeimage/buildScript";
import { API_SERVER_PORT, KUBEADM_UNIT } from "./kubeadmDocuments";

/** How long `pulumi up` waits for a control-plane node to serve: 180 tries 10 s apart (30 min). */
export const READINESS_ATTEMPTS = 180;
export const READINESS_INTERVAL_SECONDS = 10;

/**
 * The readiness check of one control-plane node, run by `pulumi up` (command.local.Command, so on
 * the machine running Pulumi; not in a preview): `/readyz` of the node's own API server, etcd
 * included, which kubeadm's API server serves to anonymous clients. POSIX sh and curl only (no
 * coreutils `timeout`, which macOS lacks). It reaches the node's private IP, so the machine must
 * be inside the VPC or a network connected to it (access.deployFrom: vpc); from anywhere else it
 * fails after the last attempt with a message that says so.
 */
export function readinessCommand(
  nodeName: string,
  ip: string,
  opts: { port?: number; attempts?: number; intervalSeconds?: number } = {},
): string {
  const port = opts.port ?? API_SERVER_PORT;
  const attempts = opts.attempts ?? READINESS_ATTEMPTS;
  const interval = opts.intervalSeconds ?? READINESS_INTERVAL_SECONDS;
  const url = `https://${ip}:${port}/readyz`;
  const minutes = Math.round((attempts * interval) / 60);
  const fail = (message: string) => `printf '%s\\n' ${shellQuote(`kubeplat: ${message}`)} >&2; exit 1`;
  return [
    `command -v curl >/dev/null 2>&1 || { ${fail(`the readiness check of control-plane node ${nodeName} needs curl on the machine running pulumi up`)}; }`,
    "n=0",
    `until curl --silent --insecure --fail --max-time 5 --output /dev/null ${url}; do`,
    "  n=$((n + 1))",
    `  if [ "$n" -ge ${attempts} ]; then ${fail(`control-plane node ${nodeName} did not answer ${url} within ${attempts} tries (${minutes} min). The check runs on the machine running pulumi up, which must reach the nodes' private addresses: run it inside the VPC or a network connected to it (access.deployFrom: vpc). If it does, look at the node's kubeadm unit (journalctl -u ${KUBEADM_UNIT}) and its console output.`)}; fi`,
    `  sleep ${interval}`,
    "done",
  ].join("\n");
}
