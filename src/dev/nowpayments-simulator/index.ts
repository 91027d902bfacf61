// A local NOWPayments for development and tests: its HTTP API, signed IPNs and a page to pay by hand.
export {
  ADVANCE_TARGETS,
  type AdvanceOptions,
  type AdvanceResult,
  type AdvanceTarget,
  DEFAULT_SIM_COINS,
  type IpnDelivery,
  type NowPaymentsSimulator,
  type NowPaymentsSimulatorOptions,
  type SimCoin,
  SimulatorError,
  startNowPaymentsSimulator,
} from './simulator.ts';
