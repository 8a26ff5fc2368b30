// jsdom polyfills for antd (matchMedia) live here.
export {};
