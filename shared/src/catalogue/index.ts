// Barrel of shared/src/catalogue: filled by its owner.
export {};
