// Barrel of shared/src/case: filled by its owner.
export {};
