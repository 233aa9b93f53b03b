import { joinRoom } from 'switchboard/client';

const q = new URLSearchParams(location.search);
const room = joinRoom({ url: q.get('server') ?? location.origin, room: q.get('room') ?? 'lobby', name: q.get('name') ?? 'guest' });
const log = (text) => document.querySelector('#log').append(Object.assign(document.createElement('li'), { textContent: text }));

room.on('peer-joined', (peer) => log(`${peer.name} joined`));
room.on('peer-state', (peer) => peer.state === 'connected' && room.send(`hi from ${room.name}`, { to: peer.id }));
room.on('message', (m) => log(`${room.peer(m.from)?.name}: ${m.data}`));
room.on('file-received', (file, blob) => log(`got ${file.name}: ${blob.size} bytes, SHA-256 ${file.verified ? 'verified' : 'MISMATCH'}`));
room.on('error', (err) => log(`error ${err.code}: ${err.message}`));
document.querySelector('#file').addEventListener('change', (e) => room.sendFile(e.target.files[0]));
