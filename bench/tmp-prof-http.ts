import { httpBench } from './http.ts';
console.log(JSON.stringify(await httpBench(8, 6)));
