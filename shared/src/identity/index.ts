// Barrel of shared/src/identity: filled by its owner.
export {};
