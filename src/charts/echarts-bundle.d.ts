// ECharts' single-file ESM build has no typings of its own: it is the full `echarts` API.
declare module 'echarts/dist/echarts.esm.mjs' {
  export * from 'echarts';
}
