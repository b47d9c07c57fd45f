'use strict';
// Preload (node -r) for node-red-dev: answers https://catalogue.nodered.org/ from a local file, so
// `node-red-dev validate` runs all its checks without that host (the npm registry is still used).
// NRDEV_DIR = the prefix holding node_modules/node-red-dev; NR_CATALOGUE = catalogue JSON file.
const fs = require('fs');
const path = require('path');

const dir = process.env.NRDEV_DIR;
if (!dir) throw new Error('NRDEV_DIR must name the prefix where node-red-dev is installed');
const axiosPath = [path.join(dir, 'node_modules/node-red-dev/node_modules/axios'), path.join(dir, 'node_modules/axios')].find((p) => fs.existsSync(p));
if (!axiosPath) throw new Error(`no axios under ${dir}`);
const axios = require(axiosPath);
const realGet = axios.get.bind(axios);
let served = 0;
axios.get = (url, ...rest) => {
  if (String(url).startsWith('https://catalogue.nodered.org/')) {
    served++;
    const file = process.env.NR_CATALOGUE;
    const data = file ? JSON.parse(fs.readFileSync(file, 'utf8')) : { modules: [] };
    return Promise.resolve({ status: 200, statusText: 'OK', headers: {}, data });
  }
  return realGet(url, ...rest);
};
process.on('exit', () => {
  if (process.env.NRDEV_STUB_REPORT) fs.writeFileSync(process.env.NRDEV_STUB_REPORT, JSON.stringify({ catalogueRequestsServed: served }));
});
