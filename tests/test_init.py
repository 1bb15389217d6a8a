"""A DeformableConv2d starts as its plain convolution however the model is built and initialised: the
init loops written for nn.Conv2d, meta-device construction, skip_init, FSDP1 and FSDP2; and sharded
training computes what one process computes."""
import copy
import json
import os
import subprocess
import sys
import textwrap

import pytest
import torch
import torch.nn.functional as F
import torch.nn.utils.prune
from torch import nn

import dcn
from dcn import DeformableConv2d

BACKENDS = ["auto", "torch"]


def model(backend="auto", device=None, dtype=None):
    """A plain conv, then two deformable layers of different geometry."""
    return nn.Sequential(nn.Conv2d(3, 8, 3, padding=1, device=device, dtype=dtype), nn.ReLU(),
                         DeformableConv2d(8, 8, 3, stride=2, padding=1, bias=True, backend=backend, device=device,
                                          dtype=dtype),
                         nn.ReLU(),
                         DeformableConv2d(8, 6, (3, 5), padding=(1, 4), dilation=(1, 2), groups=2, offset_groups=2,
                                          backend=backend, device=device, dtype=dtype))


def kaiming_loop(net):  # the torchvision / timm idiom
    for m in net.modules():
        if isinstance(m, nn.Conv2d):
            nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
            if m.bias is not None:
                nn.init.normal_(m.bias)


def class_name_loop(net):  # DCGAN's weights_init, pix2pix's init_weights
    for m in net.modules():
        if "Conv" in type(m).__name__ and hasattr(m, "weight"):
            nn.init.normal_(m.weight, 0.0, 0.02)


def reset_pre_order(net):  # parents before their children, as after to_empty
    for m in net.modules():
        if hasattr(m, "reset_parameters"):
            m.reset_parameters()


def built(routine, backend):
    torch.manual_seed(0)
    if routine == "kaiming loop":
        net = model(backend)
        kaiming_loop(net)
    elif routine == "class-name loop":
        net = model(backend)
        class_name_loop(net)
    elif routine == "pre-order reset_parameters":
        net = model(backend)
        reset_pre_order(net)
    elif routine == "meta, to_empty, reset_parameters":
        with torch.device("meta"):
            net = model(backend)
        net = net.to_empty(device="cpu")
        reset_pre_order(net)
    elif routine == "deepcopy of meta, to_empty, kaiming loop":
        net = copy.deepcopy(model(backend, device="meta")).to_empty(device="cpu")
        reset_pre_order(net)
        kaiming_loop(net)
    elif routine == "skip_init, reset_parameters":
        net = torch.nn.utils.skip_init(DeformableConv2d, 8, 8, 3, padding=1, backend=backend)
        reset_pre_order(net)
    elif routine == "load_state_dict(assign=True) into meta":
        net = model(backend, device="meta")
        net.load_state_dict(model(backend).state_dict(), assign=True)
    return net


ROUTINES = ["kaiming loop", "class-name loop", "pre-order reset_parameters", "meta, to_empty, reset_parameters",
            "deepcopy of meta, to_empty, kaiming loop", "skip_init, reset_parameters",
            "load_state_dict(assign=True) into meta"]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("routine", ROUTINES)
def test_every_way_of_initialising_leaves_each_layer_its_plain_conv(routine, backend):
    net = built(routine, backend)
    layers = [m for m in net.modules() if isinstance(m, DeformableConv2d)]
    assert layers
    x = torch.randn(2, 8 if isinstance(net, DeformableConv2d) else 3, 12, 11)
    inputs = []
    hooks = [layer.register_forward_pre_hook(lambda m, args: inputs.append(args[0])) for layer in layers]
    net(x)
    for hook in hooks:
        hook.remove()
    for layer, input in zip(layers, inputs):
        for conv in (layer.offset_conv, layer.modulator_conv):
            assert conv.weight.abs().max() == 0 and conv.bias.abs().max() == 0
        conv = layer.regular_conv
        assert conv.weight.std() > 0  # regular_conv got what the routine gives an nn.Conv2d
        plain = F.conv2d(input, conv.weight, conv.bias, conv.stride, conv.padding, conv.dilation, conv.groups)
        torch.testing.assert_close(layer(input), plain, rtol=1e-5, atol=1e-5)


def test_the_kaiming_loop_reaches_regular_conv_as_it_reaches_an_nn_conv2d():
    torch.manual_seed(0)
    net = model()
    kaiming_loop(net)
    conv = net[2].regular_conv
    fan_out = conv.out_channels * conv.kernel_size[0] * conv.kernel_size[1]
    assert abs(float(conv.weight.std()) - (2 / fan_out) ** 0.5) < 0.25 * (2 / fan_out) ** 0.5


def test_offsets_can_still_be_initialised_on_purpose():
    layer = DeformableConv2d(4, 4)
    nn.init.normal_(layer.offset_conv.weight, std=0.01)
    assert layer.offset_conv.weight.abs().max() > 0
    layer.reset_parameters()
    assert layer.offset_conv.weight.abs().max() == 0


def test_offset_convs_keep_the_original_state_dict_keys_and_refuse_nothing_nn_conv2d_allows():
    layer = DeformableConv2d(4, 4, bias=True)
    assert list(layer.state_dict()) == ["offset_conv.weight", "offset_conv.bias", "modulator_conv.weight",
                                        "modulator_conv.bias", "regular_conv.weight", "regular_conv.bias"]
    assert dcn.convert_to_deformable(layer, predicate=lambda name, conv: True) == {}
    torch.nn.utils.prune.l1_unstructured(layer.offset_conv, "weight", amount=0.5)
    layer(torch.randn(1, 4, 6, 6))


DISTRIBUTED = textwrap.dedent("""
    import json, os, sys, tempfile
    import torch, torch.distributed as dist, torch.multiprocessing as mp
    from torch import nn
    sys.path.insert(0, os.getcwd())
    from test_init import model, reset_pre_order
    from dcn import DeformableConv2d

    def deformable(net):
        return [m for m in net.modules() if isinstance(m, DeformableConv2d)]

    def full(t):
        return t.full_tensor() if hasattr(t, "full_tensor") else t

    def trained(net, x, y, steps=3):
        optimizer = torch.optim.SGD(net.parameters(), lr=0.1)
        for _ in range(steps):
            optimizer.zero_grad()
            nn.functional.mse_loss(net(x), y).backward()
            optimizer.step()
        return net

    def run(rank, backend, folder, report):
        dist.init_process_group("gloo", init_method=f"file://{folder}/rendezvous", rank=rank, world_size=2)
        from torch.distributed.fsdp import fully_shard, FullyShardedDataParallel
        import torch.distributed.checkpoint as dcp
        from torch.distributed.checkpoint.state_dict import get_model_state_dict
        result = {}
        # FSDP2: built on the meta device, sharded, materialised, reset module by module
        with torch.device("meta"):
            net = model(backend)
        for layer in deformable(net):
            fully_shard(layer)
        fully_shard(net)
        net.to_empty(device="cpu")
        reset_pre_order(net)
        result["fsdp2 offsets"] = max(float(full(c.weight.detach()).abs().max()) for layer in deformable(net)
                                      for c in (layer.offset_conv, layer.modulator_conv))
        # FSDP1: it materialises a meta model by calling each module's reset_parameters()
        with torch.device("meta"):
            net = model(backend)
        net = FullyShardedDataParallel(net, device_id=torch.device("cpu"), use_orig_params=True)
        with FullyShardedDataParallel.summon_full_params(net):
            result["fsdp1 offsets"] = max(float(c.weight.detach().abs().max()) for layer in deformable(net)
                                          for c in (layer.offset_conv, layer.modulator_conv))
        # FSDP2 training, half the batch on each process, against one process with the whole batch
        torch.manual_seed(0)
        reference = model(backend, dtype=torch.float64)
        for layer in deformable(reference):
            for conv in (layer.offset_conv, layer.modulator_conv):
                nn.init.normal_(conv.weight, std=0.1)
        sharded = trained_net = None
        x, y = torch.randn(4, 3, 12, 11, dtype=torch.float64), torch.randn(4, 6, 6, 6, dtype=torch.float64)
        import copy
        sharded = copy.deepcopy(reference)
        trained(reference, x, y)
        for layer in deformable(sharded):
            fully_shard(layer)
        fully_shard(sharded)
        trained(sharded, x[2 * rank:2 * rank + 2], y[2 * rank:2 * rank + 2])
        result["training"] = max(float((full(a) - b).abs().max()) for a, b in
                                 zip(sharded.parameters(), reference.parameters()))
        dcp.save(get_model_state_dict(sharded), checkpoint_id=f"{folder}/checkpoint")
        if rank == 0:
            torch.save(reference.state_dict(), f"{folder}/reference.pt")
            with open(report, "w") as file:
                json.dump(result, file)
        dist.barrier()
        dist.destroy_process_group()

    if __name__ == "__main__":
        backend, folder = sys.argv[1], tempfile.mkdtemp()
        mp.spawn(run, args=(backend, folder, f"{folder}/report.json"), nprocs=2)
        # the checkpoint, loaded into one process without a process group
        import torch.distributed.checkpoint as dcp
        net = model(backend, dtype=torch.float64)
        state = net.state_dict()
        dcp.load(state, checkpoint_id=f"{folder}/checkpoint")
        net.load_state_dict(state)
        reference = torch.load(f"{folder}/reference.pt")
        report = json.load(open(f"{folder}/report.json"))
        report["checkpoint"] = max(float((state[k] - reference[k]).abs().max()) for k in reference)
        print(json.dumps(report))
""")


@pytest.mark.skipif(not torch.distributed.is_available() or sys.platform != "linux",
                    reason="needs torch.distributed with gloo (Linux)")
@pytest.mark.parametrize("backend", BACKENDS)
def test_fsdp_initialises_trains_and_checkpoints_like_one_process(backend, tmp_path):
    script = tmp_path / "distributed.py"
    script.write_text(DISTRIBUTED)
    tests = os.path.dirname(__file__)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([os.path.dirname(tests), tests]), OMP_NUM_THREADS="1")
    done = subprocess.run([sys.executable, str(script), backend], capture_output=True, text=True, timeout=300,
                          cwd=tests, env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["fsdp2 offsets"] == 0 and report["fsdp1 offsets"] == 0, report
    assert report["training"] < 1e-12 and report["checkpoint"] < 1e-12, report
