import { App } from '@modelcontextprotocol/ext-apps';
const app = new App({ name: 'x', version: '1' });
app.ontoolresult = (r) => console.log(r);
await app.connect();
