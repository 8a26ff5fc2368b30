// Barrel of shared/src/numbering: filled by its owner.
export {};
