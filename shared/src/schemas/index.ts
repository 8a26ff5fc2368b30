// Barrel of shared/src/schemas: filled by its owner.
export {};
