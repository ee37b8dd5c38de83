#!/usr/bin/env python3
"""PyTorch side of `npm run bench`: times ONE workload of WORKLOADS.md on the CPU and prints one JSON line.

Usage: /usr/bin/python3 pytorch_workloads.py WORKLOAD [--repeats N] [--threads T]
The suite runs this once per workload, in its own process, so the peak resident memory is the
workload's own. The shapes are those of bench/src/workload-specs.ts; FLOP counts are made there, not
here, so both sides are divided by the same number. Written as a PyTorch user would write each model:
nn.Linear / nn.LayerNorm / nn.LSTM modules, autograd, torch.optim.
"""
import argparse
import json
import math
import os
import resource
import statistics
import sys
import time


def requested_threads(argv):
    """The --threads value, read before torch loads: OpenBLAS sizes its own thread pool at load time."""
    for index, argument in enumerate(argv):
        if argument == "--threads" and index + 1 < len(argv):
            return argv[index + 1]
    return "1"


# torch.set_num_threads does not reach OpenBLAS's pthread pool (Debian's libopenblas0-pthread), which
# otherwise keeps a second core busy: measured CPU time was ~2x wall time with only set_num_threads(1).
for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(variable, requested_threads(sys.argv))

import torch  # noqa: E402
from torch import nn  # noqa: E402
from torch.nn import functional as F  # noqa: E402


def token_batch(batch, context, vocab, seed):
    """Random next-token batch: inputs and targets shifted by one position."""
    generator = torch.Generator().manual_seed(seed)
    sequence = torch.randint(0, vocab, (batch, context + 1), generator=generator)
    return sequence[:, :-1], sequence[:, 1:]


class Block(nn.Module):
    """Pre-LayerNorm block: causal multi-head self-attention (fused qkv), then a GELU MLP."""

    def __init__(self, width, heads, ratio):
        super().__init__()
        self.heads = heads
        self.attention_norm = nn.LayerNorm(width)
        self.qkv = nn.Linear(width, 3 * width)
        self.output = nn.Linear(width, width)
        self.mlp_norm = nn.LayerNorm(width)
        self.hidden = nn.Linear(width, ratio * width)
        self.mlp_output = nn.Linear(ratio * width, width)

    def forward(self, x, causal_mask):
        batch, time_, width = x.shape
        head_size = width // self.heads
        query, key, value = self.qkv(self.attention_norm(x)).chunk(3, dim=-1)
        split = lambda t: t.view(batch, time_, self.heads, head_size).transpose(1, 2)  # noqa: E731
        query, key, value = split(query), split(key), split(value)
        scores = query @ key.transpose(-2, -1) / math.sqrt(head_size)
        weights = scores.masked_fill(causal_mask, float("-inf")).softmax(dim=-1)
        mixed = (weights @ value).transpose(1, 2).reshape(batch, time_, width)
        x = x + self.output(mixed)
        return x + self.mlp_output(F.gelu(self.hidden(self.mlp_norm(x))))


class Decoder(nn.Module):
    """Decoder-only Transformer: one-hot token embedding as a matmul, learned positions, head without bias."""

    def __init__(self, vocab, context, width, layers, heads, ratio):
        super().__init__()
        self.vocab = vocab
        self.token_embedding = nn.Parameter(torch.randn(vocab, width) * 0.02)
        self.position_embedding = nn.Parameter(torch.randn(context, width) * 0.02)
        self.blocks = nn.ModuleList(Block(width, heads, ratio) for _ in range(layers))
        self.final_norm = nn.LayerNorm(width)
        self.head = nn.Linear(width, vocab, bias=False)
        self.register_buffer("causal_mask", torch.ones(context, context, dtype=torch.bool).triu(1))

    def forward(self, tokens):
        time_ = tokens.shape[1]
        x = F.one_hot(tokens, self.vocab).float() @ self.token_embedding + self.position_embedding[:time_]
        for block in self.blocks:
            x = block(x, self.causal_mask[:time_, :time_])
        return self.head(self.final_norm(x))


def training_step(model, optimizer, loss):
    def step():
        optimizer.zero_grad()
        loss().backward()
        optimizer.step()

    return step


def transformer_train_step():
    vocab, context, batch = 64, 64, 32
    model = Decoder(vocab, context, width=128, layers=2, heads=4, ratio=4)
    inputs, targets = token_batch(batch, context, vocab, seed=1)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss = lambda: F.cross_entropy(model(inputs).reshape(-1, vocab), targets.reshape(-1))  # noqa: E731
    return training_step(model, optimizer, loss)


def lstm_train_step():
    vocab, hidden, context, batch = 64, 128, 64, 32
    lstm = nn.LSTM(vocab, hidden, batch_first=True)
    head = nn.Linear(hidden, vocab)
    inputs, targets = token_batch(batch, context, vocab, seed=2)
    optimizer = torch.optim.Adam([*lstm.parameters(), *head.parameters()], lr=1e-3)

    def loss():
        states, _ = lstm(F.one_hot(inputs, vocab).float())
        return F.cross_entropy(head(states).reshape(-1, vocab), targets.reshape(-1))

    return training_step(lstm, optimizer, loss)


def relu_mlp(sizes):
    layers = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        layers += [nn.Linear(fan_in, fan_out), nn.ReLU()]
    return nn.Sequential(*layers[:-1])


def mlp_mnist_epoch():
    """Uniform random pixels stand in for MNIST: dense matmuls cost the same whatever the values."""
    count, batch = 10_000, 64
    model = relu_mlp([784, 512, 512, 10])
    images, labels = torch.rand(count, 784), torch.randint(0, 10, (count,))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)

    def epoch():
        for start in range(0, count, batch):
            optimizer.zero_grad()
            F.cross_entropy(model(images[start:start + batch]), labels[start:start + batch]).backward()
            optimizer.step()

    return epoch


def mlp_hessian_vector_product():
    """Exact product by double backward (Pearlmutter's trick through autograd)."""
    count = 1000
    model = relu_mlp([784, 512, 512, 10])
    parameters = list(model.parameters())
    inputs, labels = torch.rand(count, 784), torch.randint(0, 10, (count,))
    direction = [torch.randn_like(parameter) for parameter in parameters]

    def product():
        gradients = torch.autograd.grad(F.cross_entropy(model(inputs), labels), parameters, create_graph=True)
        inner = sum((gradient * part).sum() for gradient, part in zip(gradients, direction))
        torch.autograd.grad(inner, parameters)

    return product


def grokking_8_seeds_20_steps():
    """Per seed: its own split of half of all pairs a + b mod 97, a fresh MLP 194-512-97, 20 full-batch AdamW steps."""
    modulus, width, seeds, steps = 97, 512, 8, 20
    left = torch.arange(modulus).repeat_interleave(modulus)
    right = torch.arange(modulus).repeat(modulus)
    train_count = int(0.5 * modulus * modulus + 0.5)

    def sweep():
        for seed in range(seeds):
            torch.manual_seed(seed)
            chosen = torch.randperm(modulus * modulus)[:train_count]
            inputs = torch.cat([F.one_hot(left[chosen], modulus), F.one_hot(right[chosen], modulus)], 1).float()
            labels = (left[chosen] + right[chosen]) % modulus
            model = relu_mlp([2 * modulus, width, modulus])
            optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=1.0)
            for _ in range(steps):
                optimizer.zero_grad()
                F.cross_entropy(model(inputs), labels).backward()
                optimizer.step()

    return sweep


WORKLOADS = {
    "transformer-train-step": transformer_train_step,
    "lstm-train-step": lstm_train_step,
    "mlp-mnist-epoch": mlp_mnist_epoch,
    "mlp-hessian-vector-product": mlp_hessian_vector_product,
    "grokking-8-seeds-20-steps": grokking_8_seeds_20_steps,
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workload", choices=sorted(WORKLOADS))
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--threads", type=int, default=1)
    arguments = parser.parse_args()
    torch.set_num_threads(arguments.threads)
    torch.manual_seed(0)
    run = WORKLOADS[arguments.workload]()
    run()  # warm-up
    wall, cpu = [], []
    for _ in range(arguments.repeats):
        cpu_start, start = time.process_time(), time.perf_counter()
        run()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - cpu_start) * 1000)
    print(json.dumps({
        "medianMs": round(statistics.median(wall), 2),
        "minMs": round(min(wall), 2),
        "cpuMedianMs": round(statistics.median(cpu), 2),
        "samplesMs": [round(sample, 2) for sample in wall],
        "maxRssMb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 2),
        "details": {"torch": torch.__version__, "threads": torch.get_num_threads()},
    }))


if __name__ == "__main__":
    main()
