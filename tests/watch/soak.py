#!/usr/bin/env python3
"""soak.py INCIMAP GAZETTEER WORK SECONDS -- `incimap watch` under a stream of
bounded random file operations for SECONDS (issue 19's soak; label long):
drops, files written in two steps, replacements under the same name,
deletions, names still being written (.part) renamed when complete, and
once, half way, the watched folder deleted and recreated. Then SIGTERM, and:
watch exits 0, the store passes integrity_check, the layers equal an
export of the store (features compared as parsed JSON), and no temporary
file, lock or spill folder is left. Prints the count of each operation.
Standard library only; seeded (SOAK_SEED) so a failure can be replayed."""
import json, os, random, shutil, signal, sqlite3, subprocess, sys, time

incimap, gaz, work, seconds = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
seed = int(os.environ.get('SOAK_SEED', '19'))
rng = random.Random(seed)
shutil.rmtree(work, ignore_errors=True)
os.makedirs(os.path.join(work, 'tmp'))
inp = os.path.join(work, 'in')
os.makedirs(inp)
env = dict(os.environ, TMPDIR=os.path.join(work, 'tmp'), INCIMAP_VENDOR=work + '/no-vendor',
           INCIMAP_HOME=work + '/no-home')

PLACES = ['Vardenis', 'Martuni', 'Goris', 'Kapan', 'Sotk', 'Jermuk', 'Stepanakert', 'Shusha']
FR = ['Des obus sont tombés {day} sur {p}, selon le ministère arménien de la Défense.',
      'Des combats ont eu lieu {day} près de {p}, a indiqué le ministère azerbaïdjanais.',
      'Les habitants de {p} ont été évacués {day} après des tirs nourris.']
EN = ['Azerbaijani forces shelled {p} on {eday}, the Armenian defence ministry said.',
      'Clashes broke out near {p} on {eday}, according to the ministry.']
DAYS = [('lundi', 'Monday'), ('mardi', 'Tuesday'), ('mercredi', 'Wednesday')]

def text():
    d = rng.choice(DAYS)
    lines = []
    for _ in range(rng.randint(1, 3)):
        t = rng.choice(FR + EN)
        lines.append(t.format(p=rng.choice(PLACES), day=d[0], eday=d[1]))
    return '\n'.join(lines) + '\n'

def log(msg):
    print('soak: %s' % msg, flush=True)

errf = open(os.path.join(work, 'watch.err'), 'w')
def start():
    return subprocess.Popen([incimap, 'watch', inp, '--db', work + '/store.sqlite', '-o',
                             work + '/out', '-f', 'GeoJSON', '--gazetteer', gaz,
                             '--date', '2022-09-14', '--interval', '0.5'],
                            stdout=subprocess.DEVNULL, stderr=errf, env=env,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))

proc = start()
ops = dict(drop=0, two_steps=0, part_renamed=0, replace=0, delete=0, recreate=0, sighup=0)
files = []
t0 = time.time()
recreated = False
n = 0
while time.time() - t0 < seconds:
    if proc.poll() is not None:
        sys.exit('FAIL: watch ended by itself with status %d' % proc.returncode)
    if not recreated and time.time() - t0 > seconds / 2:
        shutil.rmtree(inp)
        time.sleep(rng.uniform(0.1, 1.5))
        os.makedirs(inp)
        files = []
        ops['recreate'] += 1
        recreated = True
        continue
    r = rng.random()
    if r < 0.40 or len(files) < 3:
        n += 1
        name = os.path.join(inp, 'd%05d.txt' % n)
        with open(name, 'w') as f:
            f.write(text())
        files.append(name)
        ops['drop'] += 1
    elif r < 0.55:
        n += 1
        name = os.path.join(inp, 'd%05d.txt' % n)
        t = text()
        cut = rng.randint(1, len(t) - 1)
        with open(name, 'w') as f:
            f.write(t[:cut])
        time.sleep(rng.uniform(0, 0.3))
        with open(name, 'a') as f:
            f.write(t[cut:])
        files.append(name)
        ops['two_steps'] += 1
    elif r < 0.65:
        n += 1
        name = os.path.join(inp, 'd%05d.txt' % n)
        with open(name + '.part', 'w') as f:
            f.write(text())
        time.sleep(rng.uniform(0, 0.5))
        os.rename(name + '.part', name)
        files.append(name)
        ops['part_renamed'] += 1
    elif r < 0.80:
        name = rng.choice(files)
        with open(name, 'w') as f:
            f.write(text())
        ops['replace'] += 1
    elif r < 0.97 or len(files) > 300:
        name = files.pop(rng.randrange(len(files)))
        os.unlink(name)
        ops['delete'] += 1
    else:
        proc.send_signal(signal.SIGHUP)
        ops['sighup'] += 1
    time.sleep(rng.uniform(0.05, 1.0))

time.sleep(5)  # the last files settle and are read
proc.send_signal(signal.SIGTERM)
try:
    rc = proc.wait(60)
except subprocess.TimeoutExpired:
    proc.kill()
    sys.exit('FAIL: watch did not end within 60 s of SIGTERM')
errf.close()
total = sum(ops.values())
log('%d operations in %.0f s (seed %d): %s' % (total, time.time() - t0, seed,
    ', '.join('%s %d' % kv for kv in ops.items())))
fail = []
if rc != 0:
    fail.append('watch exit status %d' % rc)
db = sqlite3.connect(work + '/store.sqlite')
ic = db.execute('pragma integrity_check').fetchone()[0]
ndocs = db.execute('select count(*) from documents').fetchone()[0]
db.close()
log('store: %d documents, integrity_check %s' % (ndocs, ic))
if ic != 'ok':
    fail.append('integrity_check: %s' % ic)
exp = work + '/export'
e = subprocess.run([incimap, 'export', '--db', work + '/store.sqlite', '-o', exp, '-f', 'GeoJSON',
                    '--gazetteer', gaz, '-q'], env=env, capture_output=True, text=True)
if e.returncode != 0:
    fail.append('export: exit %d: %s' % (e.returncode, e.stderr))
else:
    for layer in ('incidents', 'shelling', 'clashes', 'evacuations'):
        a = json.load(open('%s/out/%s.geojson' % (work, layer)))['features']
        b = json.load(open('%s/%s.geojson' % (exp, layer)))['features']
        if a != b:
            fail.append('layer %s: %d features, the export %d, or they differ' % (layer, len(a), len(b)))
    log('layers: %d incidents, equal to an export' % len(a))
left = [p for p in os.listdir(work) if '.tmp-' in p or p.endswith('.lock')]
left += ['tmp/' + p for p in os.listdir(work + '/tmp')]
if left:
    fail.append('left behind: %s' % ', '.join(left))
if fail:
    print('--- watch.err (last 40 lines)')
    print(''.join(open(work + '/watch.err').readlines()[-40:]))
    sys.exit('FAIL: ' + '; '.join(fail))
log('passed')
