// placeholder
export function corpusSummary() { return null; }
