// axios's CommonJS node build, by the path its package exports (http-exchange.ts imports it):
// the same default export as 'axios'.
declare module 'axios/dist/node/axios.cjs' {
  import axios from 'axios';
  export default axios;
}
