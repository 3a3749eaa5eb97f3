// Deno gates what Node always allows: reading outside the allowed paths, statfs, the environment,
// running programs. Code that can do without one asks first, without prompting: in a terminal
// Deno would otherwise stop the whole run with an interactive prompt.

export type PermissionQuery = { name: "read"; path: string } | { name: "sys"; kind: "statfs" } | { name: "env" } | { name: "run" };

interface DenoPermissions {
  permissions: { querySync(query: PermissionQuery): { state: string } };
}

/** Whether this process may do what `query` names: always on Node; under Deno, if granted. */
export function isGranted(query: PermissionQuery): boolean {
  const deno = (globalThis as { Deno?: DenoPermissions }).Deno;
  return deno === undefined || deno.permissions.querySync(query).state === "granted";
}
