import type { ComparedGroup } from "./comparisonFigure.ts";

/**
 * What a comparison section of a kind's page embeds for its figure, the
 * least that names its lines: values in legend order, and each member's slug,
 * value and date, its stem only where it is not the slug's last segment. The
 * title is the section's heading; `comparisonFromSection` makes the group again.
 */
export interface ComparisonSectionData {
  values: string[];
  members: { slug: string; value: string; date?: string; stem?: string }[];
}

export function comparisonSectionData(comparison: ComparedGroup): ComparisonSectionData {
  return {
    values: comparison.values,
    members: comparison.members.map(({ slug, stem, date, value }) => ({
      slug,
      value,
      ...(date !== undefined ? { date } : {}),
      ...(stem !== slug.split("/").at(-1) ? { stem } : {}),
    })),
  };
}

export function comparisonFromSection(title: string, data: ComparisonSectionData): ComparedGroup {
  return { title, values: data.values, members: data.members.map((m) => ({ ...m, stem: m.stem ?? m.slug.split("/").at(-1)! })) };
}
