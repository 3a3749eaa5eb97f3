// Edits of any YAML milestone file through the yaml library's Document: comments survive and an
// existing scalar keeps its quoting style, so a file written in the old workflow's double-quoted
// style stays that way. The whole file is printed again on every write; plain files take the
// faster line editor (plain-yaml-edit.ts) instead.
import type { Document, ToStringOptions } from "yaml";
import { yamlLib } from "./yaml-lib.ts";
import type { EditPath, EditResult, EditableYaml } from "./plain-yaml-edit.ts";

/** How to print the document so that untouched lines come out as the user wrote them. */
function styleOf(text: string): ToStringOptions {
  const padded = (text.match(/[[{] \S/g) ?? []).length;
  const tight = (text.match(/[[{][^\s\]}]/g) ?? []).length;
  // lineWidth 0: never fold a long command onto two lines.
  return { lineWidth: 0, flowCollectionPadding: padded > tight };
}

export class DocumentYaml implements EditableYaml {
  private readonly style: ToStringOptions;

  /** `doc`: the text's document if one was already built (the loader may have). */
  constructor(text: string, private readonly doc: Document = yamlLib().parseDocument(text)) {
    this.style = styleOf(text);
  }

  set(path: EditPath, value: unknown): EditResult {
    const node = this.doc.getIn(path, true);
    if (yamlLib().isScalar(node) && (value === null || typeof value !== "object")) {
      if (node.value === value) return "same";
      node.value = value;
    } else {
      this.doc.setIn(path, value);
    }
    return "changed";
  }

  get(path: EditPath): unknown {
    const value = this.doc.getIn(path);
    return yamlLib().isNode(value) ? value.toJSON() : value;
  }

  toString(): string {
    return this.doc.toString(this.style);
  }

  chunks(): string[] {
    return [this.toString()];
  }
}
