"""The MiniLM encoder and linear head in JAX, shared by `finetune.py` (the shipped model) and `distil.py` (students):
layer norm, linear layers, mean-pooled L2-normalised embedding over however many layers the weights hold."""
import math

import jax
import jax.numpy as jnp


def ln(x, p, P):
    m = x.mean(-1, keepdims=True); v = ((x - m) ** 2).mean(-1, keepdims=True)
    return (x - m) / jnp.sqrt(v + 1e-12) * P[p + ".weight"] + P[p + ".bias"]


def lin(x, p, P):
    return x @ P[p + ".weight"].T + P[p + ".bias"]


def n_layers(P):
    return len({k.split(".")[2] for k in P if k.startswith("encoder.layer.")})


def embed(P, ids, mask):
    B, T = ids.shape; H, dh = 12, 32
    x = P["embeddings.word_embeddings.weight"][ids] + P["embeddings.position_embeddings.weight"][:T][None] + P["embeddings.token_type_embeddings.weight"][0]
    x = ln(x, "embeddings.LayerNorm", P)
    bias = (1.0 - mask[:, None, None, :]) * -1e9
    for l in range(n_layers(P)):
        p = f"encoder.layer.{l}."
        q = lin(x, p + "attention.self.query", P).reshape(B, T, H, dh).transpose(0, 2, 1, 3)
        k = lin(x, p + "attention.self.key", P).reshape(B, T, H, dh).transpose(0, 2, 3, 1)
        v = lin(x, p + "attention.self.value", P).reshape(B, T, H, dh).transpose(0, 2, 1, 3)
        s = jax.nn.softmax(q @ k / math.sqrt(dh) + bias, -1)
        c = (s @ v).transpose(0, 2, 1, 3).reshape(B, T, 384)
        x = ln(x + lin(c, p + "attention.output.dense", P), p + "attention.output.LayerNorm", P)
        h = jax.nn.gelu(lin(x, p + "intermediate.dense", P), approximate=False)
        x = ln(x + lin(h, p + "output.dense", P), p + "output.LayerNorm", P)
    m = mask[..., None]
    e = (x * m).sum(1) / jnp.clip(m.sum(1), 1e-9)
    return e / jnp.clip(jnp.linalg.norm(e, axis=1, keepdims=True), 1e-12)


def predict(P, Hd, ids, mask, lex):
    return embed(P, ids, mask) @ Hd["w"] + lex @ Hd["wl"] + Hd["b"]


def adam(params, opt, g, lr_body, lr_head):
    """One Adam step (beta 0.9 / 0.999) with one learning rate for the encoder and one for the head."""
    m, v, t = opt; t = t + 1
    m = jax.tree_util.tree_map(lambda a, b: 0.9 * a + 0.1 * b, m, g)
    v = jax.tree_util.tree_map(lambda a, b: 0.999 * a + 0.001 * b * b, v, g)
    def upd(lr):
        return lambda p, mm, vv: p - lr * (mm / (1 - 0.9 ** t)) / (jnp.sqrt(vv / (1 - 0.999 ** t)) + 1e-8)
    P = jax.tree_util.tree_map(upd(lr_body), params[0], m[0], v[0])
    Hd = jax.tree_util.tree_map(upd(lr_head), params[1], m[1], v[1])
    return (P, Hd), (m, v, t)
