"""PyTorch trains the seed-000 conv AE for one epoch from diabolo's initial weights and data
order (written by dump_conv_init.ts), to compare the test BCE with diabolo's own run.

Usage: conv_from_diabolo_init.py <init folder> <MNIST folder>"""
import sys
import numpy as np, torch, torch.nn as nn
D = sys.argv[1] if len(sys.argv) > 1 else ".tmp/init"
torch.set_num_threads(1)
L = lambda n: torch.tensor(np.load(f"{D}/{n}.npy"))
d = sys.argv[2] + "/"  # the MNIST folder: `deno run tasks/mnist_dir.ts`
idx = lambda p: np.fromfile(d + p, dtype=np.uint8)[16:]
xtr = torch.tensor(idx("train-images-idx3-ubyte").reshape(-1,1,28,28)/255., dtype=torch.float32)
xte = torch.tensor(idx("t10k-images-idx3-ubyte").reshape(-1,1,28,28)/255., dtype=torch.float32)
enc = nn.Sequential(nn.Conv2d(1,16,3,padding=1), nn.ReLU(), nn.MaxPool2d(2,2), nn.Conv2d(16,32,3,padding=1), nn.ReLU(), nn.MaxPool2d(2,2), nn.Flatten(), nn.Linear(1568,64), nn.ReLU())
dec = nn.Sequential(nn.Linear(64,1568), nn.ReLU(), nn.Unflatten(1,(32,7,7)), nn.ConvTranspose2d(32,16,2,stride=2), nn.ReLU(), nn.ConvTranspose2d(16,1,2,stride=2), nn.Sigmoid())
with torch.no_grad():
    enc[0].weight.copy_(L("enc_conv1__kernel").permute(3,2,0,1)); enc[0].bias.copy_(L("enc_conv1__bias"))
    enc[3].weight.copy_(L("enc_conv2__kernel").permute(3,2,0,1)); enc[3].bias.copy_(L("enc_conv2__bias"))
    # our flatten is HWC, torch's CHW: reorder the 1568 input rows of enc_fc
    k = L("enc_fc__kernel").reshape(7,7,32,64).permute(2,0,1,3).reshape(1568,64)
    enc[7].weight.copy_(k.T); enc[7].bias.copy_(L("enc_fc__bias"))
    k = L("dec_fc__kernel").reshape(64,7,7,32).permute(0,3,1,2).reshape(64,1568)
    dec[0].weight.copy_(k.T); dec[0].bias.copy_(L("dec_fc__bias").reshape(7,7,32).permute(2,0,1).reshape(1568))
    dec[3].weight.copy_(L("dec_convT1__kernel").permute(3,2,0,1)); dec[3].bias.copy_(L("dec_convT1__bias"))
    dec[5].weight.copy_(L("dec_convT2__kernel").permute(3,2,0,1)); dec[5].bias.copy_(L("dec_convT2__bias"))
m = nn.Sequential(enc, dec); crit = nn.BCELoss(); opt = torch.optim.Adam(m.parameters(), 1e-3)
with torch.no_grad(): print("initial test bce", sum(crit(m(xte[j:j+1000]), xte[j:j+1000]).item() for j in range(0,10000,1000))/10)
order = torch.tensor(np.load(f"{D}/order.npy").astype(np.int64))
for i in range(0, 60000, 128):
    x = xtr[order[i:i+128]]; l = crit(m(x), x); opt.zero_grad(); l.backward(); opt.step()
with torch.no_grad(): print("after 1 epoch test bce", sum(crit(m(xte[j:j+1000]), xte[j:j+1000]).item() for j in range(0,10000,1000))/10)
