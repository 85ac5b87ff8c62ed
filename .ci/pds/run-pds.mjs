#!/usr/bin/env node
// Runs the official Bluesky PDS (@atproto/pds) plus an in-memory mock PLC
// directory (@did-plc/server) in this one process, bound to 127.0.0.1 only.
//
// Usage: node run-pds.mjs [port]        (or PDS_PORT=...; 0 / absent = free port)
// Env:   PDS_PLC_PORT (default free), PDS_ADMIN_PASSWORD (default random),
//        PDS_LOG=1 to let the PDS log (to stderr).
//
// When ready, prints exactly one JSON line on stdout:
//   {"pds_url": "http://127.0.0.1:PORT", "plc_url": "...", "admin_password": "...",
//    "handle_domain": ".test", "data_dir": "...", "pid": N}
// Stops cleanly (servers closed, data dir removed) on SIGTERM, SIGINT, or when
// stdin is closed (so the parent dying also stops it).
import crypto from 'node:crypto'
import fs from 'node:fs/promises'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'

// Logging must be configured before the PDS modules load. Logs never go to stdout.
if (process.env.PDS_LOG === '1') {
  process.env.LOG_ENABLED = 'true'
  process.env.LOG_DESTINATION ??= '/dev/stderr'
} else {
  process.env.LOG_ENABLED = 'false'
}

const HOST = '127.0.0.1'

function fail(msg, err) {
  process.stderr.write(`run-pds: ${msg}${err ? `: ${err?.stack ?? err}` : ''}\n`)
  process.exit(1)
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.unref()
    srv.on('error', reject)
    srv.listen(0, HOST, () => {
      const { port } = srv.address()
      srv.close(() => resolve(port))
    })
  })
}

// express's app.listen(port) binds every interface; force loopback.
function bindLoopback(app) {
  const orig = app.listen.bind(app)
  app.listen = (port, ...rest) => orig(port, HOST, ...rest)
}

const t0 = Date.now()
const argPort = process.argv[2] ?? process.env.PDS_PORT ?? '0'
let port = Number.parseInt(argPort, 10)
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`bad port ${argPort}`)
if (port === 0) port = await freePort()
let plcPort = Number.parseInt(process.env.PDS_PLC_PORT ?? '0', 10)
if (plcPort === 0) plcPort = await freePort()

// @atproto/pds 0.5.x declares node >= 22 and uses ES2025 built-ins (iterator helpers,
// Set methods...). On older Node, polyfill them with core-js before it loads.
const nodeMajor = Number(process.versions.node.split('.')[0])
if (nodeMajor < 22) await import('core-js/actual/index.js')

const { PDS, envToCfg, envToSecrets } = await import('@atproto/pds')
const plcMod = await import('@did-plc/server')
const plc = plcMod.default?.PlcServer ? plcMod.default : plcMod
const { Secp256k1Keypair } = await import('@atproto/crypto')

const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'paris-desk-pds-'))
let pdsServer = null
let plcServer = null
let stopping = false

async function stop(code = 0) {
  if (stopping) return
  stopping = true
  const timer = setTimeout(() => process.exit(code), 5000)
  timer.unref()
  try { await pdsServer?.destroy() } catch (e) { process.stderr.write(`run-pds: pds destroy: ${e}\n`) }
  try { await plcServer?.destroy() } catch (e) { process.stderr.write(`run-pds: plc destroy: ${e}\n`) }
  await fs.rm(dataDir, { recursive: true, force: true }).catch(() => {})
  process.exit(code)
}
process.on('SIGTERM', () => stop(0))
process.on('SIGINT', () => stop(0))
process.stdin.on('end', () => stop(0))
process.stdin.on('error', () => stop(0))
process.stdin.resume()

try {
  // --- mock PLC directory (in-memory) ---
  plcServer = plc.PlcServer.create({ db: plc.Database.mock(), port: plcPort })
  bindLoopback(plcServer.app)
  await plcServer.start()
  const plcUrl = `http://${HOST}:${plcPort}`

  // --- PDS (same settings as @atproto/dev-env's TestPds) ---
  const plcRotationKey = await Secp256k1Keypair.create({ exportable: true })
  const plcRotationHex = Buffer.from(await plcRotationKey.export()).toString('hex')
  const recoveryKey = await Secp256k1Keypair.create()
  const adminPassword = process.env.PDS_ADMIN_PASSWORD || crypto.randomBytes(16).toString('hex')
  const env = {
    devMode: true,
    port,
    hostname: 'localhost',
    dataDirectory: dataDir,
    blobstoreDiskLocation: path.join(dataDir, 'blobs'),
    blobstoreDiskTmpLocation: path.join(dataDir, 'blobs-tmp'),
    recoveryDidKey: recoveryKey.did(),
    adminPassword,
    jwtSecret: crypto.randomBytes(32).toString('hex'),
    dpopSecret: crypto.randomBytes(32).toString('hex'),
    plcRotationKeyK256PrivateKeyHex: plcRotationHex,
    didPlcUrl: plcUrl,
    serviceHandleDomains: ['.test'],
    // No AppView / moderation service: app.bsky reads answer 502 UpstreamFailure.
    bskyAppViewUrl: 'https://appview.invalid',
    bskyAppViewDid: 'did:example:invalid',
    bskyAppViewCdnUrlPattern: 'http://cdn.appview.invalid/%s/%s/%s',
    modServiceUrl: 'https://moderator.invalid',
    modServiceDid: 'did:example:invalid',
    inviteRequired: false,
    rateLimitsEnabled: process.env.PDS_RATE_LIMITS === '1',
    disableSsrfProtection: true,
    crawlers: [],
    serviceName: 'paris_desk reference PDS',
  }
  const cfg = envToCfg(env)
  // DID documents name this URL as the PDS endpoint; clients switch to it after login.
  const pdsUrl = `http://${HOST}:${port}`
  cfg.service.publicUrl = pdsUrl
  pdsServer = await PDS.create(cfg, envToSecrets(env))
  bindLoopback(pdsServer.app)
  await pdsServer.start()

  process.stdout.write(JSON.stringify({
    pds_url: pdsUrl,
    plc_url: plcUrl,
    admin_password: adminPassword,
    handle_domain: '.test',
    data_dir: dataDir,
    pid: process.pid,
    pds_version: cfg.service.version,
    startup_ms: Date.now() - t0,
  }) + '\n')
} catch (err) {
  process.stderr.write(`run-pds: startup failed: ${err?.stack ?? err}\n`)
  await stop(1)
}
