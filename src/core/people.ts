import { z } from "zod";

/**
 * An author of the archive: a person (`family`, `given`) or an organisation
 * (`name`), as CITATION.cff and CSL tell them apart.
 */
export interface Person {
  /** Family name of a person (with `given`); absent for an organisation. */
  family?: string;
  /** Given names of a person (optional). */
  given?: string;
  /** Name of an organisation (or a person whose name is not split); absent for a person. */
  name?: string;
  /** ORCID as a URL, `https://orcid.org/0000-0002-1825-0097` (optional). */
  orcid?: string;
  /** Affiliation (optional). */
  affiliation?: string;
  /** E-mail address (optional). */
  email?: string;
}

const text = z.string().trim().min(1);
const orcid = z
  .string()
  .trim()
  .regex(/^(https:\/\/orcid\.org\/)?\d{4}-\d{4}-\d{4}-\d{3}[\dX]$/, "expected an ORCID such as 0000-0002-1825-0097")
  .transform((id) => (id.startsWith("https://") ? id : `https://orcid.org/${id}`));

/**
 * One author as written in the config: `"Family, Given"` (a person), a name
 * without a comma (an organisation), or an object
 * `{family, given?, orcid?, affiliation?, email?}` / `{name, …}`.
 */
export const personSchema = z.union([
  text.transform((s) => parsePersonName(s)),
  z
    .object({
      /** Family name (a person). */
      family: text.optional(),
      /** Given names (a person, optional). */
      given: text.optional(),
      /** An organisation's name. */
      name: text.optional(),
      /** ORCID, bare or as a URL (optional). */
      orcid: orcid.optional(),
      /** Affiliation (optional). */
      affiliation: text.optional(),
      /** E-mail address (optional). */
      email: z.email().optional(),
    })
    .strict()
    .refine((p) => (p.family !== undefined) !== (p.name !== undefined), { message: "expected either family (a person) or name (an organisation)" })
    .refine((p) => p.given === undefined || p.family !== undefined, { message: "given needs a family name" })
    .transform((p): Person => compact(p) as Person),
]);

/** `author` in the config: one author, or a list. */
export const authorsSchema = z.union([personSchema.transform((p) => [p]), z.array(personSchema).min(1)]);

/** `"Family, Given"` → a person; a name without a comma → an organisation (as in `content/bibliography/`). */
export function parsePersonName(name: string): Person {
  const comma = name.indexOf(",");
  if (comma < 0) return { name: name.trim() };
  const family = name.slice(0, comma).trim();
  const given = name.slice(comma + 1).trim();
  if (family === "") return { name: name.trim() };
  return given === "" ? { family } : { family, given };
}

/** The CSL-JSON name of a person or organisation (organisations are never split). */
export function cslName(person: Person): { family: string; given?: string } | { literal: string } {
  if (person.family !== undefined) return person.given !== undefined ? { family: person.family, given: person.given } : { family: person.family };
  return { literal: person.name ?? "" };
}

/** `"Family, Given"` or the organisation's name: what `citation_author` expects. */
export function displayName(person: Person): string {
  if (person.family !== undefined) return person.given !== undefined ? `${person.family}, ${person.given}` : person.family;
  return person.name ?? "";
}

function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
