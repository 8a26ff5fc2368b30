export * from './ticketMachine.js';
