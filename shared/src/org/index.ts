// Barrel of shared/src/org: filled by its owner.
export {};
