// How a file is named in messages: relative to the current directory when it lies inside it
// (short, clickable in most terminals), otherwise absolute.
import path from "node:path";
import process from "node:process";

export function displayPath(file: string, base: string = process.cwd()): string {
  const absolute = path.resolve(file);
  const relative = path.relative(base, absolute);
  const outside = relative === "" || relative === ".." || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative);
  return outside ? absolute : relative;
}
