import { FIGURES_VIEW_VERSION } from './figureViews.js';

/**
 * The figure aggregates' version: bump SHAPE_VERSION when one of their documents changes shape
 * (the views' version is part of it too). A hub that finds another version rebuilds them.
 */
const SHAPE_VERSION = 4;
export const AGGREGATES_VERSION = FIGURES_VIEW_VERSION * 100 + SHAPE_VERSION;
