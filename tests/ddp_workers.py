"""Workers for tests that spawn gloo processes (spawned functions must be importable by
name, which test modules under ``--import-mode=importlib`` are not)."""
import torch
import torch.distributed as torch_dist

from projects.evwsss.prototypes import PrototypeMemory


def push_prototypes_on_two_ranks(rank: int, init_file: str, out: str) -> None:
    torch_dist.init_process_group('gloo', init_method=f'file://{init_file}', rank=rank,
                                  world_size=2)
    memory = PrototypeMemory(num_classes=2, dim=2, length=5, min_entries=0)
    feats = torch.zeros(1, 2, 1, 1)
    feats[0, rank] = 1.0                                   # rank 0 -> d0, rank 1 -> d1
    present = torch.tensor([[True, rank == 1]])            # class 1 only on rank 1
    memory.push(feats, torch.ones(1, 2, 1, 1), present, min_weight=0.5)
    torch.save({k: v for k, v in memory.state_dict().items()}, f'{out}/rank{rank}.pth')
    torch_dist.destroy_process_group()
