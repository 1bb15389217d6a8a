# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Where does a deformable layer look? Sampling points, and whether they grow with the digit
#
# The point of a deformable convolution is that its 3x3 sampling grid is not fixed: a small conv
# predicts a shift for every kernel point at every position, so the grid can stretch over a large object
# and shrink over a small one. DCNv2 adds a weight (modulation, in (0, 2)) for every sampled value.
# Does the scaled-MNIST classifier actually learn that? Two questions:
#
# 1. **Where does it sample?** The original notebook plotted the raw offsets at feature-map pixels, without
#    the kernel grid they shift, so it did not show where the layer reads. Here we take one unit of conv5's
#    output at the centre of the digit and follow its sampling through conv4 down to the input: conv5
#    reads conv4's output at 9 points and each of those is computed by conv4 from 9 points, so the unit
#    sees **81 points** of conv4's input, which we draw in input pixels over the digit.
# 2. **Does its receptive field grow with the digit?** We measure how far the 81 points spread, as the
#    test digits are zoomed from x0.5 to x1.5, averaged over the test digits, for DCNv2 and for the plain
#    CNN (whose grid is fixed by construction).
#
# The models are the seed-0, 32-channel plain and DCNv2 networks trained by `scaled_mnist.ipynb`
# (`results/mnist_seed0.pt`). `SMOKE_TEST=1` (what CI runs) or missing weights: a quickly trained pair
# instead, as the output says. `DATA_DIR` sets where MNIST lives (default `data`).

# %% cellView="form"
# @title Setup: use the repository's `dcn.py` and `mnist_lab.py`, or unpack the copies packed in this cell
# Packed by tests/notebook_pack.py; tests/test_notebooks.py checks they equal the repository's files.
PACKED = "eNq9fY132zay77/CzZ6ekAmtWI7TbZVV33MTp/W5+TqJu737bB+ZlmibtUSqJBXb9fX//uY3MwABkrKdvbt1G1sigQEwGAzmC4ObR7NpPlhePxoFj/4avNvbD95m0zSv0sP8r/R/8KpYXpfZ2XkdhNMo2NrcGgaz9Es6L5ZpuXl+nQZhfZ4GBRXJ8mQefM4Wy3m68fF6vyin5xuv09OiXCQn9OhVkX8p5qs6K/KNL1vBPLlOy6i3hW8DgKwYUvD61XsqPS3yusxOVnVRVtqxj2m5yKqKwAVZFZynZXpyHZyVSV6nszg4LVPq1WkwPU/KszQO6iJI8uuAOl1RheKkTrI8y8+ChEAvr1GyPicwVXFaXyZlSoVnaCSpqmKaJQQymBXT1SLN6wQjCE6zeVrJ2A8ffdZah48ibmmWEiaynIdh3gWXWX1erOqgTCsayhRQYjSR5dP5aoa+mBLzbJFpM4DAuKkAd1XRSNDfOFgUs+wUf1Me3nJ1Ms+q8ziYZZUgih5WeMhzyQ3RkJ4VZVCl8zmAZNR/HnbTxxhl0NASuK0VW9z05Xmx8MdD2DpdlTm1mnKdWUHY44ao3d/SaY2HqHFazOfFJQZIszjLMK5qFOzTm+Sk+JLygGT+86Km/konMBvLZor1VXWeUO9P0gZx1DhhOnHGVKIDVU2EkNE0LIuSW2yPdRDs/7wbfP7wZv/XnU+7wd7n4OOnD//Ye737miZ05zM9OHzEo/l1b//nD7/sB1Ts0877/X8GH94EO+//GfzX3vvXcbD73x8/7X7+HHz4FOy9+/h2b5ee7b1/9faX13vvfwp+pHrvP9CS2qOFRZD3P3CrCmpvl+q9QRvvdj+9+pme7Py493Zv/59x8GZv/z3AviG4O8HHnU/7e69+ebvzKfj4y6ePHz7vUg9eE+T3e+/ffKKGdt/tvt8fUMP0LNj9B30JPv+88/Ytt7bzCw3gE7rIq+3Dx39+2vvp5/3g5w9vX+/S8x93qX87P77dldZoaK/e7uy9i4PXO+92ftrlsX0gQJ+4mHZw59PeZ4zwzacPVBL4IbQACe+lkffvd1/t7314z+jzUU2l8P2Xz7sN5Ne7O28J3GcMwS08OMwPH+G/hpEEDiMJiDWEzCEiIrMyULYTgySKPOVVChD5Dq1JC2DqAKgScJkqyGiFZfmSVl9CCzBNypwI67RMeJ0yGVVCuVSqqtNkZujpNLtKiVVcBFfBBbGfbDYinlIthCDzL0F4fFycnlZpPcHX4+MoWJbpjNZ/ReXCGS3h2VVEdJ2d1jwE4q3ldXCRUgfQapZzj/jpYU7cAV00nZH1mjEaqNEU66vVNvGJ1TwhttnX/GXKy44AhJtxIDg8zNNkeq54mQVfkvmK1sqPRU3P6qTk3vyRlgWxF2Kp4LPVeTCazolTjo6bWcIkbc2OwSXSK8Li/JoKL+fEdQ9zF/8YAKO7EsaJ+jR1VPwSLJ1QjPkoLokTMbrnRVXxjGLXEC6BSaYxUPXrYlXS+Apwn5c0pUGeprNKwB0f1yCN42NghT9+ycBZjrmPxVLmOWLYu1c8+hE+B/Tzww8/BLQbEScJuGbz9LQEW8QzUyDPW29pezXv2uhpSvJuGIw7JcLht3HwfCtWgphU2R/p+Dnx+2SGLWM8jIOTLKnG++UqjRpwVwSKezWg/XCWhwQAgLa+w7+o1Wx4FQ2Iry5TeS71PlND4cGWNC71jpyKf7VTLz13phmzxBPtrTPsbbKtJ4tUCa9q4EmjRLhTmuA0NP2KCZ2D01Wuq3AwFaRcxdLsQOCYb8CEgxqqTYQ/Hw/TjRfadaDJHYTQ2KxgBqA0/3+CkBYlrUkagXCEJS3xOUHm5YnFIQuaVnuxWsattUr0bFYpqrVwPVA2hPEA7/Niyp+rO2aA5vh7Mwf0D9NwmL9LLrBREtZpw8feSgudOuFwuZDHJuzk+dVz4QjEtAx3ytM64u6eZV9Snhod1gnRDOgZ81Nc5rI80URJcpC3JggEERpN0ef091XK+21I35R0iUypv8/9GaHXn9K3v4TyUUt+xyWHkUNgZUo0NCUGNOaOp2U9qYtJM7wQ3XeQS1gITR19fvB48/FRUwRLfEE4Le3a4CeDzz+9DpVDL5MyWUx4Wis0QIRVjjcHNAFaYF5OFqt5jWduZw+4ysHho3l5+OiI6YSf8DZkmh240LVfBwx8c7A53PR/to7MxneYMxeZTE5X9apMJxPDTJKcZCIhHsyJPpU/8+xkQOturpXr6yXmT4u8otkHCmmDp30gJnm/ot/vaV3O9ldLPP+g3DAO9MEvOX13WlEu6H4beCuVBOfgjWndZY/7JI4WZcxs8jCfTGhmwYVpWGOSu4YDwgXGPJlQJ/nhgWDKlQCUeUI8816haeepEMtk2i7Ny5zwMbGLz3l5ktErIviJMAPnTS8ZOu97aIjfYibzvbz+mGQgPUblAbEKRa58pF9HVPDHnVf/tfv+9WcqFx4+SkjdIRAEW/DdfJSti9QNwtTPO58n+x9IfvwHSWQkcI1bNDA4zfLZpFqm07BdG2ybiCh4T7ISQXr74dcJSbOvDJxQJvZ0XiQ1tg/5eqLfmQ1B2Nv4E37Qzk55xgoY6XTp9IImcKTcjZWfaUCv8IXZMIkt2YzYlSiGtElixlJWAZVdl6scgsSf1X0imYBoIytDlqhoAdB6G5FIRWthQaroYrUYgQqiYOOHNmGMDInhvx3sSjW0HJKnQFLE0ukBbU+8Nf0wNuBirMEkqAGLNoM4uIxeQt0FOw/SsiQIJNSl5WVWkYysvAbtZHW6qMAkUVO6S5RCrVQQfWlvSM0YwlrYA7hvFAW0SVJL+k7qKcRT2kTykAFHwV/GwRb6D8qjVR66cGPBAbYlvPZfnRTFXOT8L7w5MzhFDn7KhIYS7F8v010MLzw9fHQDNN8Gi1VF+xpvmBZ5ghhI8ZeFYvCMmrzhjv+lvOXVpb0nlJre/91OV7vhf6DiupZpXm604u26hsqUOLyOSxaXUA1L+1/SCXWyQz1ML/RiZPvaxptUYLQWZc8bxurXYTEwXQqYRteijZ8RxoZfh6uHwVds8XMHW8wcJifJ9CLNZ6H+bVBFfxtU6VtBWR4Y7ntPb00t010omkRGN6a6mV8t18KJqT0et5m5pfo2S7+rP48V3rgNTFQf5xkxgPMMG3Gl4yUymJOK9zJ43MDv/DxeUXutNgg6UZLZnx7786FlnRkhNaGYE/n2zUksIvZI5YLWFClX0oZG7mge0ygSJhHh59Dygle/vN6JRQEhUckYIYlNku7BW4XI++BTAyPHfqBqH3+xlaQwLIGoQIIMSW+0i5wmpPSX0EbzVi9oPZ3N0436vEwTGKPmRbGsgrBKjTCfVnX17CQlkXqRlBeD5XXEqik1kcwrsZCxggoyYm23Wi2xf1OjstE+O7E78If37/+bRH6V/1R/nKVfsmnqzXVwnmCWzV4Hlhm++/gZ2q2D1zZJ/mVsJ9Uluda84pl0ATKllaXz/GqQVcSjJvg4kRJhQ/dhR1AR2wXNPupNV7PEeTIjkTU169IXTHxiNWum6ZF5Iv0i0BjRlOZvkuYQ2WZhFHWH11o+Hklbsv+zJZ6f0mKRQqjBmIzYOlKSSQM2kDcmaVqps+BEFHBWNmUpOEL5zsc9BrWcF/WfLfx0pW7VukZWJ3BsHKNAJeYY7CCbNQ+I4obxWoalqqZbehNG8Tk36QERSYub9gWskwpGi9Qx+dGiFN6ZtM2IXfuhZSwkrlYOnZnBhu9Jhw+eBD/Rv4tz/LqMg58nxYo2ul/xJ4I5I2MrAiQ4z1hFKms18PSa42MfF7QO0mldjXjNu3aKQFaGZ6y4gLLAXQieBr/FcJbkeIv+hWdNB+ntReS3c17MaXuZXauxntZqelVbALOrQVPcmVYzm9Ym4M4NDRadBjDXchRqUWbK1wssCBL2wcgji+tPvFBddAPNP8X9GIapc7TWysN/gym0iZSnnjCVnpGaGou5yJlSx85D3YyD36MAu0DlYznM4uA3kmnrpubxcbikjgkyJufBBvBBf5/ydBBK+DOMw783xS61GE+WFsPn2VV0fOzg+6OlW+pgRTWpuQNaBT9T/eFRcBXgy6/85fiYO8wGXdq0jPJLu9Epb2Y0ekzHSVHO0rJv97ggvYLoY6y6jTfVh4+cr1Beh0pD8FNVTSVDEqSZ8ye36JKKLpuilmoOH+lHFN7UwjP4v5rChrJQ2nx2YdOmJAtkMMsWIesl24FdNWKQOyCEfROEW81aiO6RDnXNsXB4nnxhlxVtZWbZq5VA7AP0/UbB3naYgEFx7w81xDKm6Ghuj6NG2sztiibaPRfol/hDKHKr6FTSU+2MopP3YLPBswzyfMvFGr/v7M+iBrplBFxSJvkZ4MH7EIrQMjbF+FssTY75t5Eqi8uqMUUIjBBU9+SJfImwEs6jwZcsveQXQ/k/opXh11IMuBUrXnqmttTUYoZKpsW8pwOXrQ5cNiDwrr8Dlz0d4EV96XVgqLOkHYBPyc4CyezTC4V6UhbJjAWbmnexKgSyYu5xBMa6GG8MDWJ8AgAH9EQcbuRpMFHyvL5SmoqZ8VtRvv3a2bsd60V3T/U2vRals6PcE6nNLsJcBxANM++ycetB8ywYX0f4igJ9wehyAATPnun6j7gHWz7EaAAnNYkL8KAN+fV2HLyIg+cO3lpGxdDTeWi7NxKRpwb1oPHHhj9jUyqXBXE1sHcGSMyc+LXrs+SNyYoxMfN67KTC7s3ukK2VWbSfQP8rwj3hPXL2GafbKPEE8xGv2VaxuQueRUYdQSodHXeFwuN79nTqx5NIRGDW/Cv29VoMEPUw9xh0lKcAMQvGq0lVlJ/FUOCmzqZOkEk+/G5jOKRpIz6OMIKqou5P2eDOgo+REQqi0CxnM+OyTKe0GcyvezZJUBNRDVEM5C0WEh3yYyEBLKblCzoYjjaG6ie4LMqLyVp+7KpMa9ixU0Qg/pWXvBJkcJmgC/CrXfPUHWyADx29FLddMs/OcpI3afLKavwmAUDBwBVhr2YhKdy6Iv5BTO+ZiBaKhmqazFNvbHl6qfwqPNgabFJ54pfy4fzI7ADNeK3IAP/4OjhDgcPtYhkKNPm6HqbHWEmamC5W85AbcpYk4TlbhuCjdRE6IGIZWmT5BSEMSDN8VYiTwL8ZOIiWld8BhRIc0pOOGw8ERBUVcib6itetdTms+emZrR6LWYVOOFTRDIRI9YnQpMPBPJ2jzb/ae4F4ZZvv8MuOrFPpQB4fEW7gd+gdTJ/O9zW6XS/QRVJdrO8G+JdrmQoaY8g6dvy6P6TkCzEV6+5O1GlRsaJEGsVqXnMs0r163UOY8iTLlS/HwtDA3XnyBv+a5mkDUmhX63Fsu/rkT04TZsbDVwIOHaMlKFJurFpC9JIGLY8k6IJVD3YRgokw03NgCtUoRLZdY56cAneokmrkN16PXg1S5gPaGi8rB7AQCgsda1EVaGANa6gagaRdlO9Dd6u0hNVYUEO2NqqJcuRx46ds3RleDZmsoo7XL3bNr/ftl9Jpv+9MnT+rQBT+TA2CLkQF3VD180lA0jRYaCS/SAyy6upTy9/dbU5eP0yt0wl5oF6n8/pgzc7a2LvG537/QKR2aK2vhXRBMmFWwvQMszNMTpjbHWaNmKnpIeZ/d4k7fvWGQZiJdlj5nSzkf9vjRnhhNrNOfpkKaU0nxDImJiTGmAWkzTvVTFWFx9wMyMyBJCV8nXncUdAbCV3K3yHxH2xsjVSmsls8FVlrnIyDUJnXHRiLjEhFmtdqIfIw+Kzlg13dhcBhjXtRdsxzVe3oiSpywom0Hep4r2YxQGAWDTbM2waH2CK59ZgZ5d1yhYuyu1roUTUdRyqRlht14BB9Myjz6QkXv6utYac5ltMUwMCV9v4afIIpgXVKwnjYi+gIegohSMn2lOaXZMxwSBoHpuskqaeIdl4kNcmKGEfLWDloz4/piTuGZiosnYtazOOgj672ryGadiUZQMPYgYNqz56tAxwN0qslURCEu42h+afwZYmoQWGxCFvN+P29p53YDNeDXbgEGRt24c2Zr4dTLTDKDFNRyY4qJiV68ZSfW2uJAhsK62/5gP+N7BsCoEOujc5lDYf3WAVFFzYe4+2N155SLQ5jMRSqSc9hs5HnPxafmHrNjMw3YeoN73Hj+51IrMS4IUymVnGdDYuOauAbFO/cC6h/SkC+SZW5zjfebkCM+x6cKel3LKl3ypgi2/C7cXCDdm/vtaTOMmyhEONPrlkUpc6DphwLq9tzZz6U/iZ37niEFFk63xDXUfbbwkT0IFSMRJqTgdGHJmLCG4HdJ2/WtObHI+g6MxxZHDo8aF5qMmTMZCijva+vDLAzadrjOPLQ6rTQdOrcCKbnjWCKVXmweSTSKa9MfFsro+IlCanKQg28yxa8oQdvKPAue+ENHXiENOni34MhiPvSfHkIDyDdcpnwwRR4RYIbUVFuhWyNWHyjH25ZY0G0ro094PNG95HznA8s6cZ2E65B2VPQ+Jrhw5TTzEhHZoM//37fCTVHz/O7fCpR30uSjTf9IcIt2PF0HJAoJ4TpbSb/qoPmJr9d56KhFzfnQr/BDbdy+29x0HytYMuchDmpV/NBAx61mGIv62h36MZ74IfEtSQ5h2+w1ObwjTzu4LQttd0zBG6sPWM3DwF86/Ebp2cymD83nmPfRGb8eY3ywZzACZAOm0DvyLNm/YrYo+SOozyzbCZRBbnak4NQZCt++pNnHcKG3DCNxjvj0r0xEJJsPrrDxRPb41jWONVyLghQsdrcCzKKXdONPfr0EsOq4OHPnfdiPm3piw/ud2IiSdb4RMJVDkbPBxbwnzdXzRGgPB+8Q4/sfJUaqLLuTNuXLQkkm5UIRYOvgzpr5tUG6+u0WvvR8fH1ARYUScFHrFkm1UGBba9aLSY3UxrjrQoSBwVbiS+OVENDtQuu9iS4OhAT8nKTai4nFzBm8WzbQkcmZEWC8Y6PTVExCvKJ1/SMJqAUCz0fWWkOFDGfOT6+OhgMBkeOHdGJXQjFTm50EDi5okHwgbshdliHAqbFItVjXJcFt1A11lterI+r4MwLxHKPwUkroQNwzJtIlZ0timwWbkYca+SdlpMjU+nvKyIuGoqOVg/orTf7ThqfJo3KfhtZf+m0WOV19TI4wWE9j683dtf74nLW2FBjVYwt3ThwrF2eg3VNeT5nkcLQqXbBIYc5RmK75Ph8mOxaYNlWqxPQNsvqZndHT8RkzOyCF4XItnkHx8RJ0tNkNa8DXt+mF95Bdjmf3jGjmy3XIl13HkMyCMi/NM5kmgtMwyyt2ENpp8ybhoZ0Rnw+jVernHrvO78ZS59tqSHtr4Voqf0GZzETByGHsFa1jbFiVgR/KcdeRPE623TMRyVwdIIXbNyJN+NY1brg4FSdXj8UObzX19FEcn3GjtL2drSdHUyX7ndSzzUYa63NW6p0XzjjEYs4lvivE42+axGalH0F84K6bfUUsE82tFcQR1rlmO+zdCbu6mp1wpOZIjwsXbKiibh30IZ3QlhZinXVOLEMa90zNH1dWgnCdn2Wo8bSgMul5sUZdSeKlLm2V4tq4niJJdUOBDNhyKfBhOYkqyeTsErnp7HLs5Q7+IyLH/VFfRLPfP7gyE/Lf+RoFUeVa5Uj8Rz2+wgtQwGn4wfCP3AgAo5bZg097T2J27zAAnDXsoLBkl7rWewDr5FR4pQU1zU+t21Q7HFZER2E0cCi3QnSxAwMnAlg54l7ksTbUKCd2q9WzLdw3GnrAHJfApL7vQvK6hY+ECM1ktqkR+c6fWjpJq1O+IZhexyvBxoYIBaenlGKZavE2RgSBsMWJmJ/4xVwcJS2x+nTdlPyPpu68dXd3a43Gk/F9Y7afGPGMuo2q28mGDqToEENqlsUVGZDY5NrB41dsHec5wnl0M5t1K9s3rg9Qmn9fht1J99hEl8ZbGpBfIV70tb5as+jsQ43p6ysSRknkLrzZkw+etQhNGJT3AhJ0eghWH9sIPln3eL+k25WOvOlMVaVFdBfytvH0dr+sv9SYbBQ7KAYOj+b5L+q42MLT44uWbExbO3DxlzO78c38rent9ylxtNsHMu2DCh8dGeVhzinbTVPBQDzd5SCdlnHQd3vj3Z9vVCk24tATHmdpyZejMVlo7NoxK2bQaJd0ey1Y2cam3P7Llbu4GdmPYy9pRObDW19jG+bxbOaN3byA3issM9Ed+GkwUCArRn7mjlSCWl9Gw+Gz5awZuKZacppaq9dV6C6o9WeDWRsdjRuX7xV68dH6qU5gp7WaVmFkSuddd6iTp9cIYKd7eVjrL8MRuus0uxXqkNoHo+XrKsZpaetYYtw6QXo9iKmt/fups3YA5NsE0vcN7s9zFYA9HqfzQ8NGmMdsPI5CblfMsroYYVZQDZY/7/LEnnS6utmEgRYg3ovrsxxg3bRIzXvAI2mG8DtQLeHNAEILsWkV3WZTMp0WTZwm+OZPItEztjx2+ImLOUd0fHWz2Nz02ZDt3HD1RtGdOtSDc2ix6Sx12yCG7c5efCUO9ZwsRu3Hh/K7UK1+/26LawBa7ndjVezF6zyEQI6XAtPl/uNU6EXlusX7wMGWMwrxHTZA8Fnbnd2yiuqfWu7BLwGsLJau+G6TnasrI+6BBo8lX6YA8g37u6pc2jCOzY2wCQuk3IW/Afs6FbDTa+W82yagU8xJVlVt32MWZI4mBjYdq6PDrc1AQpNgKI2EI2spPXMimqwTeSrxQlxyZeQ9IrZrJHH2IR2UtR1sXgmifVOs7JqovyVdVnm3lRc1WKA5XWPszfPJKKDjbA5zlAj5qxGfhdzMqxpZRB8bItY9XlRpY41L1gtYWvNOcXal9TEzzRh9NSO5PQoU3uAwdpRBm2crWcLLJ4qrloEaLIsCLqFedwDSNDTgiN4GAcHM3acit8U29QMvg/apv7IlmFLFGozvOios0cxWIh330iWDPnOLtOtnv1K7GMIM6ceh86g3HpxYB8I4Ci6Eye26LNnqGxB4WvUWaWGcB20eTYhkXC51NrF0uJm3TQW2ohWaU/p/bEu4vbYd0NcIIEKXFhQoIROJree6tmK8zE62vM42O7vwl1BP27Aj1gjvzb65ysjgP5TUUAeZjSq8jm7+ttCwNfhiF27Tu1xV6hoTmWFiNHZeH6fG95xxT8cwWsZALYZyyxhxK00Uy1rUJJhVgZEG/QciWeDNC9WZ+d9q63jQAmMKHMnNxMdw19srpAsnaFXLKKwzy25yirDkLxZ2xodOTFv9/AqYPrnX7vmCNorUrZ/UlWHE9pwGRexMN/YGJzg71p39DCrknKNGwznFsEJLDIGoRfUw+aL26g3cMYExtxLMUo1amDXAd7IX2rwPhl2nWgYaciB5YwqSpG+NIFl/oGiRFuw78oS6om/89QlK2lwB9hzDj0eEz1x0cDnPKDiJGWvq83oKGTvZ3k0WiqvDXp6DU8SJBdEELC+cf+G3tLY+wVfV59x1EJl7nFLI1clvF26fZrFhsVOkzo8cDSwXm1T3x1FvjeyB4hGnPaAwBsPAJCNrd2P5/dDV7mmsdjwF7ug+VsrSL3xZMaqmLO1qj4fVCTXmj76loi+vroljuSw8bArGpiWcL7viTnC7Puc3AWh8vv6ddDWlZvTxfd4B7/aLdhvrvBkGffECH5WuYkPH3tiA3Hv502pK/t2lVe/r9L0jzQUlt/Ub45sdidNXHjanTYDuXK6cxU7G4sU7+gubnkJkvRPkFw1AdPr7BHxGjNC7JqE7/GCrNuCMKZG+XN1vx5Sw7Z2Fz6LVWM70SCYgrRYkpqjhgLd9KzrqNAJpuqQogaZeDFG4LQ2FMicNHGOn9hAE2TwkWAqe57ZY76tiJD1hwHbKyA2uVVGxI/PR8e6znzo3fNj+GmFg6HHx+xKkJQDIlXN7ky3csBJa196/mq/ET8PzUsHNzi03URPuce8TQyV70CRjPAcbuM3cXzce1TGOekbaTIUP5OxnuNtJ6Vh2q/u2L/uZxfrGUGbefx7+MHkIfwAUVVxMBrin7sVPfCwVI9foceh0FrnTjNEsGc9J4gm3dPx/mnNJnYWx8IRyYfY0LOeeFA3dLU5WoInHY7iBk0K9HFvfgyZgzHHlppD1N1RRA6pjRui8+xXJ6tszhPE8Wg2tbPIW/97+9X/5bUMFlDMnE2X2hJxaTpXeWLUmIfgbZDk6BUzv748vB0u6EUmCmtjyfD4WCJKaPmq5yB2hERxEDG7lBwOLnfaqysT4mMD57jTSH4Ea9SU1q6cxjVuCMlS7zBijqLgHHN1k3O+aUKTz0ssIEKdBojMkbGjjVKyZF+k15dFOdswSfuqURPAY6LsnGgcTjEfu6mfdAsj5s4BwXWpV5HgkL9NpyX4eVzZoJvHEir4+yor04r3Le0TX3uBGzicoYQINSz+SDVksqqT60qfvNRsXZcmXtfx1qiPRdgu9wszGHkTgXzXHTfWd5Jf3sv17VdpZ6QfSspvZGvYbBVt5YJv09vAIVi4eThNvJJCN+O7n/V9jabBliAGZrxDdmj321MYGW1Dk7N+GlsTt7De1OQK75zxQRIyatKHB9hSugBMtx4zkMegi3YCO+cIvM0I8xCTik14Z070dFp3E586p6p1RYX6F2YFO6NeeXMnArElca15ztIePYUfebvPeuWof4CexqQ17GlHI9m6HkTr3XYkYpPNqr8JcX97xfHE5bOOJsr6tC+stghBrhXoEcwHuFfnLg+mIbn2mHrMMT2N8NEtpwn1e97fLY+Hef3zX/Usjnt6uq6XfS12X3Q6zwxQShse3VU79DjHn3uO5NfzgpYv3/hQ/ckpzHvX8IgjTGiJsMGtSbbszNEqv+DLJCB61mEjUQQ3nRgzcIRm85TvJvvso1t7AEkh3pO5Wrp0yyxqlUt2TNottQPBDSkx9D1UYNHtyzuZH0FsQPgRh66cUdpsuY/cY8lZNXl+9Tx0Mr+3hC1GGkKHRt6J6DZfg1IAJ4SbYqz/kgwmEW5ATpDEyFOFG4vcfDy4/wFRs0d3puSxujpfH4SbQBoI5kaJAwm+teM5kuziDwPsy5m4mkKgtfd/Px3+J7nzg7OA6ScWvdI5i5m2K4GJvWaWuv6QU+jeTxOtO4yheIW93+KWszpPiwVtiaowMigRWiu5xS1ITpFGWiarahIGKGJ1Zliy1JMo7ECFwJudQsrj4E2kjtbioLU5bj07SefFZcA7Ujo4G7SVX9xNAk71XJYTf94+fIQDNKeSDd9JHv0prd6n9Uu5UIBFCG42aULYW/B5nTsZtv1RGXI5PrZfQom/FZFLaZ66ssymF42ujdMTckxjxBfYaKLv2OQ/rlr+2HO+LJAkUFxbRzrZReoIO4Ngx2bUMdmxc8zySbEqz4ti1lw/JbdqJeLAKVsHUZG0Y4VMwJWiiYjsb1d/o+WcLoLLYjWfkUZTs0veu03nJDs7M74IEp1I/5UI/+3vg6f0q9WKKDrW2YUp+nY7ojEsSfNmYZ8aOW/UKkM73sESy5x9jWVpr8NrU38QruVp1gp3V87dG59OR6xlMKnd8vqUK4o4A8eAb3Hjy9QgcFpVt9Mlru7MNDSTHJRmOB4ue6wK8w0w6kuokRIzwLLCOT/FgpQb0pDSna/CEPn3LENu93TmWnKReNJkgJdDGmdQKXn6zxMkEBEZgUhfwPMxNL2yKDtlzsDgT5NszqdjtIODr70/6W+NTvX87vuT/JuWpJXBYNDLbO+8e6lHV3suCh7f+mKK6Z0qYwzDWprsZUzrb22y1zNtudcztbQ+gWkubrnvJq/7WoR9JZlD1bl2eIL246g3KX4r/oBpNw46ZzHXyB1C6j1aodmHG62Qi/aphUYxlQIs9/ZopR1F0DSeVYbRJE7wNPM2TWV5kjo0q9vn3fIPvcR9EHeo5NJZdwyGN60R3FvR8lq4N1y+B88WeINq0AK4m+xUsnoF38wCSBlkL7FWbCupFuBYiMp874ZgtK6uWUqXmVfzxV+25r95FL1dFzzL5to5lY8vUxXRQlvsHgpuwJlOGRDY+3p38qZ/8s7t4Hrlf829WiZTnO3G2PlMOFZpWs9+q3Cnk8ZEOEDPZhN9FZbpoviSTmYrmLwJhmbGfDCdyi4wDvhsi3OGaKI7Gxq5dSRE3FvLpvaDZZcmuD0TT8SQjzz60toPsPlYiDda51aENRJvrLRmDikyWhqS4a3XwTn62hrcwhlca6UuupK5iWaDDV727ZHI8Rz22JHjgcxbcOZsFlpJEGYlZUpImxmzTbx27++qLhPNC+f0U8bZdHbUte/Jm66Fj29FmjWvc7f//gTgFuosd42JstXzIhjwufAKElmIXNpIzfhIIwLl6H8L39FDoPdRpV3UpmkohMtAseH2Y+n3406+tK55b50vOpsfi97ldV8ovUXjQYPfo55LTv3tg7fHPmOYBBtN02UdhJZVxc564OxtfLPZ2ogipgQuErHFVDZCZUGytolrjYIbLnPLiGNfDL4apdzeTHlz+78lRG9bfiAVLkn+zOuJsh9kKs/m6A1Pfklva873HcrEtyNlpPO80I9YduubpPapqDqp61LZKgnCE8taQqczkXYlbrXip3cz7xrTRd/lm13DxbwcSahi+zJOfYwDuINN5iFs0IBFyjcVfLAXgNojJvYIMOuuIskTqOPjeQknjjT0rOMdkRLNOSTtieOu3+9cpyqr0qSNUDcUTlsmswzhZZr6QmOP5NYpPqa/SM5S3DMlaaNMzkypxaoP5yxhgwCbKZFgnXS1E07TAj145urB3KjxkBH5B7+tFsvA5JRXciYgG/UKBk+ozRhaBr2ztKrv5mAYVHPkU6QuLoIZLHuX57iHWdJ3kMCQzJIl7qFRtRw3VK/q88LocqfFShxxbT0N13h9ePWB+H7NOnzVOMgIhScI6IOJjbXfWVInQbgHDJEmHvxj73XEPjXr3OQcD0gHzjAqb5rn2YVkfmgZDmYFDqdq5Tu03ePjgxucCCRSgnsm4IQkbFwp8XUOpffuAh0CulV7jNuIc1UtvbS3yZLolMwv4daj7oOxXRbm5G7oqLrpYllfs5UA4T1t1cfauitOkmzOXRmrgmceF3lJfY7z9LTmiJv7tNlOMhsotffd/dvKh7XuWt7N/nt5nWt5cemkuZrXzMNR5N/Pq/fxQg7xTuk9ZXNRK/PBS7OonzYuU9UiERT+gNuGd2bJ4lc97R6tVTz9YeHyyM0HJfmyNZxrJzdVLPdLuLK5vslmLN/SNrAUHC2s0WZgpOjoAVJgn/roHd9b+Gf3Fu2De31H9Rr5Rd14zSFB3YStv7olc8sA3Aos2PjOnyNvj2otbAdY0wjwwJhSKb5BYosJ+Oj4GsjrofZwjsP8URw8WuS099GGfjJYXlNJvT8RuxFfVzDbePd+7/M+3xJWZhCwaWexUScn82J6AdVbLFx6lRyNLz0pigtNkZPBHDmHCQ9rf98rME1K5EgiVjK9IADwDorugUrYHSSJPLGW2TSnHhI34chg2hTZ1iyJZuaSYCx4VdA4Xh7mxAP5DkX8ntjGpDprlZWAkMNGHA5RSZCI3H+XsfKS69bEWSOKEvd0/EsXbCOxlMnPTRi0Xy7lkvRKweEayXl2YmB9pK+9l3HffwW3cFM4NvjVf+AWbmb3pv+IVJ6eT8zXMOJTD2YHyZbXl9nsjEMc699niwHymASnyXxesdQBS2eNm+BOEmh/kCQ02ZcBX/GthTQptBaR9OIsJ8XOsiLpqgVshkYPnHET8eig6JNFZDssicq82915Twjcf42rIgbD55t/w2Xrzze/G2JMshSMdLEBtl5hvqs6m1Z9OaEO88+vdt7u4nbugxLyS7g5eEFbAaShJ0EWmwNgGSrKlU/DYcRbCxVE09/GAQfYDQcvqHdof/JmTyEePuKubLDAV21ks6vnG6uT61qTQchLWhHpnF8O7csOv6XCw82LtYDwrgfOUSORww8zkSiGkCVqoS154snUuHFVBNAlTm9DIq3xDY4KSK3vPn6OJcQOiHz18ZdBa7fT6PjVLOGrOr8kmZipeq7odDtBlIM6rv3rTLUUzWUt7gq2MC3EqyxZdDopK73iAyr7tR1ZOPll1nR1ufI8wUgPNWFWHZZFUaszmGd4pLdcA+n+AVLvFLdgUSgYIqxE445EW6g4HBeX0XyHf5EqSLjXB/FWR7hg8oSDZ9/H2GXqb7etIPdLpXqHsE3xhBwf/x39/OEZN/isTC6fEe/1p50nGYoABqd6QSiZPPiuKtjh+66f7Vx1YHpCrdCyAONkJOFmIR3x4SP+TAUMFBwdm0iPx2yYDVH7GavESH9OmMa+b/R0oMJZfZERIFwrBnSLKrWnQDR3mT6tBlydO6YTN+bfsUXBmC+Lsv2KzMW5bL/Y5T8cHG4sFuASeWFxFctujGTzmdg5iHG0RcBPqxx7kNr981akglCHve45uCGcDPQ+DJKaxBPAHkt1BpiuI55bDSCkT31cieWcNLZSqaLtIkCgxeM4eDz4rcjy0MXsLZJcwilO7VZw1cHZXAWDsz/k3jfs2yJO8Csg/PXO/s7k9d4n3kp60h1TY1JDastFpA1hDvptNrwsdfZ4Fp2o62Ekt2mF0WCWfQm3XrwYbOICPS1dww9MUz6FYBI6yzjHhjMnIT+UZbf+rIq2r+WCjQA7Eyia9iY39+c78ARSZbs5PxtBzuxGuCgPleBwhW0Ed2HDTc42ilhPFZAWAM1Q0mfCEtk4xM06Q/khelym8xX+LpKrJfGgLXzmcyB3vXzuvsSD7faDF9KM8/RsXpxAOIF79Qz37BZzPD6dDoK95jxDw79ig+kKt5WLc1zLbEY2vcjDUtKR9FKfm4xtuP6twcjDUrb9S3nYuFUT9u4a3PVFn2LOhWVy3FDbYWwqrYm2tfW2vHpa6YF1n3993ezUxWVPXiWhjq759w7wXtodcw6oewTIa+LFf6SJdcmizKC+ElmdHv8rE3U6lYpv+VyLqcjx1E54f5pAramU/q/8o0w2yqqbJKbhOBzmyxEjMlrZONBvE60uazDmNandIFH7b+Bwukw75+mu+GQjsZMJ85NZ+GYA/hA2ZB9eRVHsJRy4t85Wtw53WTKft0s/R2m/5Iv+ktuhARN1uuOXfBEaMFE3WPRGvJ2AAz3efDZe0BfO8xf6XDCLpzrl4dVgkSY5zr+Pwy0EAUawgKw7RHl19wFK9+SspZSr6KBp2FEL/iiKRWur02sQrWl+WRZ1MS3mDdc8mSfIb2YvNVx3md7/K3APXK/4mpwUIoNkpd7LLTmNuWkYRfMm3G6a5F9gp5OBqRzabB9Otutu15DqlIScilRe8xDXNKnUrJ1jkzsCm+RSbDkrwZACWJQlKwp9O2MNcdC0ZrVIbsdLGmuMGo/RNJpNYQ5INNhLYgbNGCTElFV2EsbmMO9Jh/TqM6dXZ2V6HYSbxrUAsmH5Mq+y+rpPGG8MBSrukkybV2CllRHU9+y9s/SeRJT03poD2oi0sm+Z2H9jJiM5haHAJKojxXmewr7LknVe4dD+GHOAuzx5zsf8G4YqwhW9QtFNvuoTKEFV160vFClJFNpT3l0KjVC3/2YgHQvNzGfu4McdVAx+3Hu793535xPf8cxVo3Udaaih24Wm4baEGd3fB7S/+3nf6YJRp7qJF02PjLW4ix/JD9l01oZ4SE3NumgYhETMd313bZ4h6mfzPV0W03OTD7hKkTGZP6rBwVOnPXMHH/DV1MEi0n277bgK4RNMN2gLPUsWi6R5uDn4G4BX04ZNKWNi1yEXO7pL8MZlv0tqE9b8OPhcp8u3n8KK/khSiKG2yJJrkKzOYGnlKRoYR5KsxnlBQj9yOTMGHOYEJMAXxK5/Zm7nq9NTPjjMrEPC2hlX6ib0E/RpvIQ17drwj75lf5evIuyaz9n9Mi/Nzbw4Yb2adyrPy4l9NVAM2YYQK9VG1lhQpg7ONCflAC5XA/Un84Tk7EWSr5L5BKMP8SuyUUDU1brQy+UjPcERmfsbqortAybgD9YAjt6BeTEUe51QYiTUMcYvWQHyHPTPias0eMhZunJXuRs3iXvBQ3ig7NK1gxrbT46MYPJJEffyM7owkbMzgCNnJU9DQ/ntYAxc4gy5sMU6DrjGUeTgxyxEfeW8aZ2rAZVyHoqSPk2wAxfLa6EMDtK8blWw88yZEeXcEpwVdTHJSXNiYbunDbbCseyyFh7Ipv1WEPd0LDCyOsW56ScBUM8Dc8VmS5FtQEIdA9pzkYZVQD4LnOnzDXxSXDhfN5sAeGEyna7KZHrdxw5Znl7PDnvZXg+vG25uSsADMyyfXxXLjaHtQ6B3BjVHIyDWaEDsRiMdmQP2HEfuMIjOwkq/JHODvWlREjtkttqsKyZCN+VQ1aVbM/Dum8i7FlLA0/wainN6Eg2S8owUAthwpsuVHJgn2aZaEREoLXgTRzjjXCQGrMyxdMTZydL8S1YWOfh22DcdLe2pOPktbYeb/ENOeMgJ3nOiaqJsmkaTOtVcBQ2L2qDHIrqkPR3yk9kTXN+H2hL5EO6NvbbB9HAy0cMlkwmnqZ6yUgGPW+vN8ro+55tnbWMDeWSKha305QSMR8/qSF2G7tUR53yQtOkFwoTy1WKiL0IuZQfltakfHE/u9Z2X4brHkQkJB637Jo5aNltn1J4Rdo8B77bixZZJVVmZTQY4QNiWiG3idBi12z+Dgf+oSfYDdwYQIPU5OspnrUqNKdIOGZojDlmzy61aFBfu8So+Q6VHqB5AeJ9WuYVlT7O7FD0KPr/78F+7k32SE8dDcwAoy6+DV3vwwcaNDRbv2LYKoacoao9SuZ8I06gGCh2DDg8fNeDF5bQJ6arJcO48RJonhuKlY+BHHqKIyuUhKA8fmLKTOpnMMvaJd/pghiCNoSi11/KVHT7SVWigsLfBPn2mTTa91KT4+p4A3jrTtyLxpSQ2GuprcyrS04mb+avF0dvMpSN7HvkzemOOH7BthXREQgfkR15GabnB6hBLlMiYypJlgSMy/FyyvdczXppGTeZMcfWsur3VkhAkvcnF1a5I1+VHOfIlCTo+ons47Inw/SDHEtE2OmZeFeMGBT7+aX8i+Chvdiq2N3jBjtKNARG0hmSFISpoLDOpfPjGeEFsT0zSXWR2cYB/GhxgL6CPkfJ6fDQxiTJn161BXqTXMZKfsgPYdAB7SeV5AzU1jFn04oMLUc8kOZcXPKXfbrtiSI14TalPksiMjTmkw65y2CLTmQhIwCU6DIhR8EMwVEcqA+UD+6EBYa4RdU3SPLIDGsuR7BKGYLSONSJtQiTksPnIoRT64z8GgXDwienRrbdAtb1mOZiVxTF79y+JJqu0SSHyLikvOLCwFuM8uAM1zOqSEPxyvnIsGx7FS4Y5Tl2L8nIiBhsxU4rPxSwNdFZw01FzEWZ6zRlw5NCw1kRS6+vxPFmczJLgYhSEFwfwsV7o/Ze868GwZ0TIc9oPU9E6/0dH8j/0mUO1+ZO40eBUW9wGlzeXt/Sc47Fw6y6RJHoRaXEzCijsrNwIdEzZ/xiYGxsbKIjkjJg9U30YOYpQptIY4Ke0b0M9ScMD6sTVTWU6UPmrX5BNyw63xNH3J08wEU+eYCG6Elw651tjDjhPuKHLo4PHKP346CA7Gg22Tm+Dw9Xm5skw8IoQGTYltBcXBgcOq+Dhm3V/CsTe8HBue1HLPWowaJgBK9N2dt1+WPo/8ntw62/nNBmIKpJGuEuRZLDG48OcyVRHCRbAFHvz+Jn6TRfJMuSNgNuKottAG3UCM+ZFPbGaRXIVB62F1bi3+haZ47bSVWYUhC+VUiIrnMg7KNkFoDRgLSlcMVpkOGXsjOOEFlYsEVzoMWx7s6KV8f9rVpnQFXaGLqk1FGv3RGT7qhNOR9JamYZpR/4GdYllKSO67wgED7jF4bmxA8NQjw5GGz7nZebeW4N5a6eC4HMcJFcDzG9oeBjgI7dUeZGW48NHBVsfQNRjZg0Y/S1hAT28kRbMiiL4vGC+8W/SoQZgH52cpPVlSozAbSjYQMf181P5TDNSlGN0j4VZ/ordIJkvz5Px5mDrReuChnulA3N38PodPG6LD6zRefKPQy895zzaWGxJF7Gch7l/cGZsBA8ZK64E86RqILhd1kp4hdDyMQfgSOR9BMjXtqivhIff8Os6q+cpppAHE9zwnyYYl9rDtZeh6cfz5vk8PQN7mxfTMfwzl6m4Q9LSBhdJFMF+Ruzbv9s1mc85XDGoshyHozVZFh/LllDxanCP77zX8S3Z3XAf5pjhD2i3PZ3wRZTwiPvAYLR0gblmCzd4qgsH1Gmb+vOzraRl2nF9ShZBEam/GzZ5HZt7AU2W2xck12Wc9791a+2fmbilLiQN4UQaD5fr/YKaVFWyLha5DUrRTAfqJpTLWZFa1aZn3Pruauu71hW3ksJfvHZ8+gX+izOcOPADUAbqCYffShI20dKxubY1pqUqJDcGcI6wlq0rxKNswBlcBTje6d4lMCKldrh9NdzWVmjPDzIqAGOA38mtjOeV/jzFdVPqYuSv4AO4QgsDZwhLA4FBq2yztQQAvVZxKRernyNmN9i+2vbbEuAzYGKbSw5eSBo42v05sQf7bHiomQluAms9JRairrNljwlfl84227YUrssSPit5fmTqXHsH9P55+hBKRofeW2ct7fnBCK690bFNDSl1nXs95YFE7XwH32605lbkl1I0+J4GktBAToAVXnyPKy+FKL3hFNRJ3XLht8slJmO3GZFcnIFD79TGc6QcZXUPTmX6YzwkmgPGdDnyUrrOC0IQSzwI9B7Zhjm1JN+jLSe4TMf5uXY3SAYN4b+YuJj5nhFjgEH5+b4nY2yHlfQQhIEqK7s1Iveh3wnzxuYsSio3mYLNV6TBaU46XBtr01LjOhk9OIXXy9adznrtyO+rjNRTHIdzoqRAfaF7wVTMZMg4rfzAEidhUuugihw16ZxVEZX6vhSDd9n5WyRvzP2GaXat/ej7qH0fTGAyOjFK/dXauqXdbEZMIZIo5vgYQBFWQPQbB82dLTjsB9ZFzAWBcvYQR2ou7ajPS9xPIHTqcWSzwzU0rI0lWJsOO3KS9eKmX647cPIoHx9HL7swjFaA84QWhIlUMP7ngGZETozg6XaTsMdkRd1mbMrOcJnKAjNNmZTL2lI377LJgF+Zbm+3ui1ZQM1pOBjQWzmEj49HhIsr+jcmDuEuPHNQafux2WvYbYu5wL7JOWOXS87k4+8PxIOUl7Z27GMcxRRLQuOTCc4K9g/LJDZBMAXyHWLyNYtUKY1x1Mx6YgcBNXea9y023ZcqdkzPRATABeqOndnL/O+dh7WzjK3u+HgJSsdWBSiTE3tR/OQkXEZysbvGhcAKh5uDNCDYdkz6onEvhmRAA5qQh/M4yzXzJmEQFo3tByfO0gxEZnaob4Pgg+bBzJRM2eAV8BE2rCxk27rG6UoEpXx7pAzbzaT50pBO2lyTYJvVq5M0zsfNh23yNCRLuVPzPDutIQboSaxZJsxMEJFo1ZG6k/jsokwJj510T0Rym2TWVkBxUKg5bXFsqmkaJ8I0R9N+cyBZBudtZ861Tpo4VKdEdfQE955TV5l1o3CWiyQBOUoxKHdIlWyxSpD/RM4XuzugmdAZkfp9+dgctutuIKUsnJcB/JYrvgNEEkmGUEmMV1S9mhx2UVa1e5264eGtwDTHc2qEIYKr6xfRcscmDi2KTZQaN2WvXR+4SaewL7gcPDKzIvSlvBPlXupuYRimiqxa3NDx+rPLJv+dv9HQ8lfu1Uhp5roJ80xz7RqJoZFa7AjbWHvsD9WLN9OIQ2KfMgM2BFGqRs12tK3t4spUXyaRmlyG+rD2pdHnvZOoLuSWkaiTdPEvZosOFML9F+n15GZqiQuBpJOsmsh9WVZYJ3rUmMFb88AMGOjssaFB3IEbSWqMTLNtrbN9V51tr44hQ6oJglMbBN8Q8WJg99CDEV8tNopteT7tZoli1GG6yKHWlgbAs3RTI77yQtrAx7vAaz9zToGBXOtEqZIpfrY96E0Wbx5OwF/9YtzQEYwOC5IYcAsTET8RBsfX4swMoCCv+5amlIfZ0XYFhnXWZTTq2VjkFxnwlUhSejUFHpzjeiQY8unPkZeKx1oNF1meLVYLPclGGi5/Q3it4/uZINo05Eaw9uSDP1Csqx6pJXQREWvjznGYrcgObfgdT+SwB3CDYpPz/oLx9X3kovG58EsLMImDk1ixdRdQkgZowIQj6V3kda+hle01I6S5tfRzhORx/vDkloNNS0zUJcTqeXuZpzKBQYE0PTA07dwHiXVdImtdZ6y+f6ClhQsLGLdNMw1mHcL7XggPfPauJKra37H+7UBose9O2wmn5zPaH4zBEyN1hL6OGOumc58d6R0Myrur6ZxwSp+sDKN7lbONfGTksSBJ8jgDh0QabsVyocl73WZEg8lKkf15U+7VAs1mtqE9FULdGCpJRgNs3+wC3RhGjT906IYBnZ4Sd86QN0yTgrewsG7U+25OEeJ0FpC9HMwg4Lth0Nl0ZUztkXrC9MJDplr0g2T2W4LBBr7Bw57cUCmMDRf6EMz5e5sHx2gXcgknNqUsz1MRK+VM2bfBeVFmfxR5TaITi5X0iFNvTvmBp6Ph/vQK5z++k48YEZVSUUD1Gbv39RgbWZw9y3BVqBFkYePybYzYLI2Bri++lYGMFRlCBfpZHOdgEd8zr3renB1JONgRejmqg5PI/8PREVGU/4wdOj45ndIsE8sPDeucSfJrF9gQf9rAQJ6j+4B5p4z5ZjHprZw+tddx+TT96Pb/Aye+IYc="
import base64, json, sys, zlib  # noqa: E401
from pathlib import Path

if Path("../dcn.py").exists() and Path("mnist_lab.py").exists():
    sys.path.insert(0, "..")  # running inside the repository: use its files
else:  # opened alone (e.g. Colab): write the packed copies next to the notebook
    for name, text in json.loads(zlib.decompress(base64.b64decode(PACKED))).items():
        Path(name).write_text(text)

# %%
import json

import matplotlib.pyplot as plt
import torch
from IPython.display import Image, Markdown, display
from matplotlib.animation import FuncAnimation, PillowWriter
from mnist_lab import tqdm  # tqdm.auto, quiet when ipywidgets is absent

import dcn
import mnist_lab as lab

run = lab.settings()
WIDTH, SEED = 32, 0
UNIT = (3, 3)  # the conv5 output unit we follow: the centre of the 7x7 map, on the (centred) digit
DIGITS = 100 if run["smoke"] else 10_000  # test digits the measures average over
device = lab.pick_device()
results_dir = run["results_dir"]
results_dir.mkdir(parents=True, exist_ok=True)
clock = lab.Timer()
print(f"dcn {dcn.__version__}, torch {torch.__version__}, device {device}, smoke test: {run['smoke']}")

# %% [markdown]
# ## The models
#
# The experiment notebook saves the weights of its seed-0 runs. We use its 32-channel pair: conv4 and
# conv5 are `DeformableConv2d` in the DCNv2 model and `nn.Conv2d` in the plain one, everything else is
# the same architecture. In smoke mode, or when the file is missing, we train a pair here with the same
# recipe for one epoch (on 2,000 images in smoke mode, on all 60,000 otherwise): its offsets have had
# little time to learn, so its pictures say little.

# %%
test_images, test_labels = lab.load_mnist(run["data_dir"], train=False)
test_images, test_labels = test_images[:DIGITS], test_labels[:DIGITS]
weights_file = results_dir / "mnist_seed0.pt"
models = {}
if not run["smoke"] and weights_file.exists():
    saved = torch.load(weights_file, map_location="cpu")
    for kind in ("dcnv2", "plain"):
        models[kind] = lab.MnistNet(WIDTH, deformable=kind == "dcnv2")
        models[kind].load_state_dict(saved[f"{kind}_w{WIDTH}"])
    source = f"{weights_file} (seed {SEED}, width {WIDTH}, trained by scaled_mnist.ipynb)"
else:
    train_images, train_labels = lab.load_mnist(run["data_dir"], train=True)
    quick = 2000 if run["smoke"] else len(train_images)
    reason = "smoke test" if run["smoke"] else f"{weights_file} not found"
    for kind in ("dcnv2", "plain"):
        torch.manual_seed(SEED)
        models[kind] = lab.MnistNet(WIDTH, deformable=kind == "dcnv2")
        lab.train(models[kind], train_images[:quick], train_labels[:quick], 1, SEED, device, desc=kind)
    source = f"quick training here ({reason}): 1 epoch on {quick} training images, seed {SEED}, width {WIDTH}"
print("weights:", source)
for kind, model in models.items():
    model.to(device).eval()
    acc = lab.accuracy(model, lab.zoom(test_images, 1.0), test_labels, device)
    print(f"{kind:>5}: {acc:.2f}% on the {len(test_labels)} test digits we use, at x1.0")

# %% [markdown]
# ## From offsets to sampling points
#
# `lab.sampling_points(model, images, unit)` follows one conv5 output unit down to the input, using only
# the layers' own geometry (`DeformableConv2d.deformation` and `dcn.bilinear_sample`):
#
# 1. conv5's `deformation` gives the 9 absolute locations `a` (kernel grid + learned offsets) at which the
#    unit reads conv4's output, and their masks `m5(a)`. They are fractional, on the 7x7 grid.
# 2. conv4's output at a fractional location is the bilinear blend of its 4 neighbouring units, so we read
#    conv4's own sampling locations and masks at `a` by bilinear interpolation of its `deformation` maps.
#    The regular part of a location map is affine in the position, so this is exact inside the 7x7 map.
#    Where `a` falls outside the map, conv5 reads zeros: the point is placed on the extended grid (with the
#    offsets of the nearest border unit) and its weight fades to zero within one cell, as conv5's reading does.
# 3. This gives 9 x 9 = **81 points** in conv4's input, each with the weight `m5(a) * m4(a, b)`, the
#    modulation along its path. Two 2x max-pools separate the 7x7 grid from the 28x28 input, so a 7x7
#    coordinate `p` is the input pixel `4 p + 1.5` (pixel centres at integers; a cell covers 4x4 pixels).
#
# The plain model goes through the same code: its convs wrapped by `DeformableConv2d.from_conv` have zero
# offsets and unit masks. Its 81 points (many coincide) must be the fixed grid `13.5 + 4 (a + b)`,
# a, b in {-1, 0, 1}^2: a mean distance of 5.813 px from the centre and adjacent points 4 px apart.
# `tests/test_sampling_points.py` checks these numbers, and that known constant offsets give the
# hand-computed points exactly.

# %%
# NBVAL_CHECK_OUTPUT
centre = lab.to_input_pixels(torch.tensor(UNIT, dtype=torch.float32))
plain_grid = lab.sampling_points(models["plain"], lab.zoom(test_images[:1], 1.0).to(device), UNIT)
print(f"unit {UNIT} of conv5 is centred on input pixel {centre.tolist()}")
print(f"plain: {len(plain_grid.points[0].unique(dim=0))} distinct points of 81, "
      f"weights {plain_grid.weights.unique().tolist()}, mean distance {lab.mean_distance(plain_grid.points, centre.to(device)).item():.3f} px, "
      f"effective dilation {lab.effective_dilation(plain_grid.points).item():.3f} px")

# %% [markdown]
# ## The sampling points on the digit
#
# Each row is one test digit, zoomed x0.5, x1.0 and x1.5, with the 81 points of the DCNv2 model's centre
# unit (colour and size: the product of the two masks along the path; grey squares: conv5's own 9 points;
# cross: the unit's centre). The last column is the plain model, whose grid is the same for every input.
# The thin frame is the 28x28 image: points outside it read the zero padding.

# %%
EXAMPLES = [int((test_labels == digit).nonzero()[0]) for digit in (0, 2, 4, 7)]
SHOWN = [0.5, 1.0, 1.5]


def points_for(kind, image, scales):
    """SamplingPoints of one image (1, 28, 28) at each scale, on the CPU."""
    batch = torch.cat([lab.zoom(image[None], s) for s in scales]).to(device)
    found = lab.sampling_points(models[kind], batch, UNIT)
    return lab.SamplingPoints(*(t.cpu() for t in found))


def view_limits(*founds):
    """Axis limits showing the 28x28 image and every point of the given SamplingPoints, with a margin."""
    points = torch.cat([f.points.flatten(0, 1) for f in founds])
    return min(-2.5, points.min().item() - 2), max(29.5, points.max().item() + 2)


def draw(ax, image, scale, found, i, norm, limits):
    """The digit zoomed by ``scale`` with the i-th image's 81 points of ``found``."""
    ax.imshow(lab.zoom(image[None], scale)[0, 0] * lab.STD + lab.MEAN, cmap="gray_r", vmin=0, vmax=2.5)
    ax.add_patch(plt.Rectangle((-0.5, -0.5), 28, 28, fill=False, lw=0.6, color="0.6"))
    ax.scatter(found.conv5_points[i, :, 1], found.conv5_points[i, :, 0], s=60, marker="s", facecolor="none",
               edgecolor="0.5", lw=0.8)
    w = found.weights[i]
    dots = ax.scatter(found.points[i, :, 1], found.points[i, :, 0], c=w, s=6 + 14 * w, cmap="viridis", norm=norm,
                      edgecolor="k", lw=0.3, zorder=3)
    ax.plot(float(centre[1]), float(centre[0]), "r+", ms=9, mew=1.5, zorder=4)
    ax.set(xlim=limits, ylim=limits[::-1], xticks=[], yticks=[])
    return dots


found = {i: points_for("dcnv2", test_images[i], SHOWN) for i in EXAMPLES}
plain_found = points_for("plain", test_images[EXAMPLES[0]], [1.0])
norm = plt.Normalize(0, max(float(f.weights.max()) for f in found.values()))
limits = view_limits(plain_found, *found.values())
fig, axes = plt.subplots(len(EXAMPLES), len(SHOWN) + 1, figsize=(2.3 * (len(SHOWN) + 1) + 1, 2.3 * len(EXAMPLES) + 0.4),
                         layout="constrained")
for row, i in enumerate(EXAMPLES):
    for col, s in enumerate(SHOWN):
        dots = draw(axes[row, col], test_images[i], s, found[i], col, norm, limits)
        axes[0, col].set_title(f"DCNv2, x{s}")
    draw(axes[row, -1], test_images[i], 1.0, plain_found, 0, norm, limits)
    axes[row, 0].set_ylabel(f"test #{i} (a {int(test_labels[i])})")
axes[0, -1].set_title("plain (fixed), x1.0")
fig.colorbar(dots, ax=axes, shrink=0.4, label="modulation along the path (mask5 x mask4)")
which = "smoke-test model" if run["smoke"] else "seed-0 models"
fig.suptitle(f"The 81 sampling points of conv5's centre unit, in input pixels ({which})")
fig.savefig(results_dir / "sampling_points.png", dpi=100)
plt.show()

# %% [markdown]
# ## Does the receptive field grow with the digit?
#
# Two sizes of the 81-point pattern, in input pixels, for each of the first test digits at each scale:
#
# * **mean distance**: the mean Euclidean distance of the 81 points from the unit's centre (13.5, 13.5);
#   for the plain grid, 5.813 px;
# * **effective dilation** (the DCN paper's measure): the mean distance between adjacent sampling points
#   of conv4, i.e. the horizontally and vertically neighbouring points of each of the 9 inner 3x3 grids
#   (108 pairs); for the plain grid, 4.0 px (one 7x7 cell).
#
# Both are unweighted: they describe where the layer samples, whatever weight it then gives each point.
# A receptive field that followed the digit would grow 3x from x0.5 to x1.5.

# %%
measures = {kind: {"mean_distance_px": torch.zeros(len(lab.SCALES), DIGITS),
                   "effective_dilation_px": torch.zeros(len(lab.SCALES), DIGITS)} for kind in models}
for kind in models:
    for j, scale in enumerate(tqdm(lab.SCALES, desc=kind)):
        start = 0
        for batch in test_images.split(1000):
            found = lab.sampling_points(models[kind], lab.zoom(batch, scale).to(device), UNIT)
            stop = start + len(batch)
            measures[kind]["mean_distance_px"][j, start:stop] = lab.mean_distance(found.points, centre.to(device)).cpu()
            measures[kind]["effective_dilation_px"][j, start:stop] = lab.effective_dilation(found.points).cpu()
            start = stop
rows = ["| scale | DCNv2 mean distance | plain | DCNv2 effective dilation | plain |", "|" + " --- |" * 5]
for j, scale in enumerate(lab.SCALES):
    cells = [f"{measures[k][m][j].mean():.2f} ± {measures[k][m][j].std():.2f}"
             for m in ("mean_distance_px", "effective_dilation_px") for k in ("dcnv2", "plain")]
    rows.append(f"| x{scale} | " + " | ".join(cells) + " |")
display(Markdown("\n".join(rows) + f"\n\npixels, mean ± std over {DIGITS} test digits"))

# %% [markdown]
# `results/offsets.json` keeps, per model and scale, the mean of each measure over the digits and its
# standard deviation.

# %%
offsets = {
    "scales": lab.SCALES,
    "models": {kind: {key: [round(v, 4) for v in values.mean(dim=1).tolist()] for key, values in m.items()}
               | {f"{key}_std": [round(v, 4) for v in values.std(dim=1).tolist()] for key, values in m.items()}
               for kind, m in measures.items()},
    "config": {"digits": DIGITS, "unit": list(UNIT), "unit_centre_px": centre.tolist(), "weights": source,
               "zoom": "black_bilinear", "points": "81 = conv5's 9 locations x conv4's 9 locations read there",
               "mean_distance_px": "mean distance of the 81 points from the unit's centre, input pixels",
               "effective_dilation_px": "mean distance between adjacent conv4 points within each of the 9 groups"},
    "environment": {**lab.environment(device), "wall_time_s": round(clock(), 1)},
}
(results_dir / "offsets.json").write_text(json.dumps(offsets, indent=1))
print(f"saved {results_dir / 'offsets.json'}")

# %%
fig, axes = plt.subplots(1, 2, figsize=(11, 4))
for ax, key, label in zip(axes, ("mean_distance_px", "effective_dilation_px"),
                          ("mean distance from the unit's centre (px)", "effective dilation (px)")):
    for kind, colour in (("dcnv2", "C0"), ("plain", "C1")):
        mean, std = measures[kind][key].mean(dim=1), measures[kind][key].std(dim=1)
        ax.plot(lab.SCALES, mean, marker="o", color=colour, label=kind)
        ax.fill_between(lab.SCALES, mean - std, mean + std, color=colour, alpha=0.2)
    at_one = measures["dcnv2"][key][lab.SCALES.index(1.0)].mean()
    ax.plot(lab.SCALES, [at_one * s for s in lab.SCALES], "k--", lw=1, label="DCNv2 at x1.0, grown with the digit")
    ax.set(xlabel="test scale (x1.0 = as trained)", ylabel=label)
    ax.grid(alpha=0.3)
    ax.legend()
fig.suptitle(f"Size of the 81 sampling points vs digit scale: mean ± std over {DIGITS} test digits")
fig.tight_layout()
fig.savefig(results_dir / "receptive_field_vs_scale.png", dpi=120)
plt.show()

# %% [markdown]
# ## One digit, growing and shrinking
#
# The first example digit swept from x0.5 to x1.5 and back, with the DCNv2 unit's 81 points (left) and the
# plain grid (right). Saved as `results/sampling_points.gif`.

# %%
sweep = torch.linspace(0.5, 1.5, 21).tolist()
sweep = sweep + sweep[-2:0:-1]  # 0.5 -> 1.5 -> back, 40 frames
image = test_images[EXAMPLES[0]]
frames = {kind: points_for(kind, image, sweep) for kind in models}
norm = plt.Normalize(0, float(frames["dcnv2"].weights.max()))
limits = view_limits(*frames.values())
fig, axes = plt.subplots(1, 2, figsize=(5, 2.9))
fig.subplots_adjust(left=0.02, right=0.98, bottom=0.02, top=0.84, wspace=0.06)


def frame(f):
    for ax, kind in zip(axes, ("dcnv2", "plain")):
        ax.clear()
        draw(ax, image, sweep[f], frames[kind], f, norm, limits)
        ax.set_title(f"{'DCNv2' if kind == 'dcnv2' else 'plain'}, digit x{sweep[f]:.2f}", fontsize=10)
    return []


fig.suptitle("81 sampling points of conv5's centre unit (colour, size: modulation)", fontsize=9, y=0.995)
animation = FuncAnimation(fig, frame, frames=len(sweep))
gif = results_dir / "sampling_points.gif"
animation.save(gif, writer=PillowWriter(fps=5), dpi=80)
plt.close(fig)
print(f"saved {gif}: {len(sweep)} frames, {gif.stat().st_size / 1024:.0f} KB")
display(Image(filename=str(gif)))

# %% [markdown]
# ## Reading the result
#
# If the deformable layers adapted their sampling to the size of the digit, both measures would grow
# with the scale, up to 3x from x0.5 to x1.5 (the dashed lines); if they ignored it, they would stay flat
# like the plain model's. Anything in between is a partial adaptation. Two caveats: this follows one
# unit, at the centre of the digit, through the last two layers only (conv1-conv3 and the pools are
# fixed); and the measures ignore the modulation, which can also narrow the field by weighting distant
# points down (the figures show it as colour). The change from the smallest to the largest digits:

# %%
def change(kind, key):
    values = measures[kind][key].mean(dim=1)
    return values[0].item(), values[-1].item()


d0, d1 = change("dcnv2", "mean_distance_px")
e0, e1 = change("dcnv2", "effective_dilation_px")
p0, _ = change("plain", "mean_distance_px")
summary = (f"From x0.5 to x1.5 (3x larger digits), the mean distance of the 81 sampling points of DCNv2's centre "
           f"conv5 unit from its centre goes from {d0:.2f} to {d1:.2f} px ({d1 / d0:.2f}x; the plain CNN's fixed "
           f"grid: {p0:.2f} px), averaged over {DIGITS} test digits. Their effective dilation (the spacing of "
           f"adjacent conv4 points) goes from {e0:.2f} to {e1:.2f} px ({e1 / e0:.2f}x; plain: 4.00 px).")
display(Markdown(summary))

# %%
print(f"total wall time: {clock() / 60:.1f} min on {device} ({torch.get_num_threads()} threads)")
