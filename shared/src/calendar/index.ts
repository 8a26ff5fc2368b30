// Barrel of shared/src/calendar: filled by its owner.
export {};
